// Command staticbuild writes a tree of static files under content-hashed
// names, with brotli and gzip copies and a manifest, for a service to
// embed (see internal/staticbuild). platform/web runs it with go
// generate:
//
//	staticbuild -src assets -out static
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dockerflow-go/dockerflow/examples/internal/staticbuild"
)

func main() {
	src := flag.String("src", "assets", "the tree of source files")
	out := flag.String("out", "static", "where the hashed tree goes (its contents are replaced)")
	flag.Parse()
	if err := staticbuild.Build(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "staticbuild:", err)
		os.Exit(1)
	}
}
