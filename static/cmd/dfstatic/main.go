// Command dfstatic builds a static tree for package static (package
// build): hashed names,
// CSS references rewritten, brotli, gzip and zstd copies, manifest.json.
//
//	go run github.com/dockerflow-go/dockerflow/static/cmd/dfstatic -src assets -out static
//	go run github.com/dockerflow-go/dockerflow/static/cmd/dfstatic -src assets -out static -check
//
// With -check it writes nothing and fails when out differs from what it
// would write (for CI: the checked-in tree is up to date).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dockerflow-go/dockerflow/static/build"
)

func main() {
	src := flag.String("src", "assets", "folder of source files")
	out := flag.String("out", "static", "folder to write the built tree to: new, empty, or written by dfstatic before (only what it wrote is replaced)")
	check := flag.Bool("check", false, "only check that -out is what a build would write")
	flag.Parse()
	run := build.Build
	if *check {
		run = build.Check
	}
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "dfstatic:", err)
		os.Exit(1)
	}
}
