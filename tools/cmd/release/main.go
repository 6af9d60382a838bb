// Command release cuts a release of every library module: make release
// VERSION=vX.Y.Z runs it at the repository's root. It refuses, saying why,
// a dirty tree, a version that is not semver or not above the last release
// (api/release.txt), and incompatible API changes the version does not
// allow; else it sets every sibling requirement to the version, dates the
// CHANGELOG entry, commits, and tags each library module (core/vX.Y.Z,
// adapters/chi/vX.Y.Z, …). It pushes nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/dockerflow-go/dockerflow/tools/internal/release"
)

func main() {
	root := flag.String("root", ".", "the repository's root, a clean git work tree")
	version := flag.String("version", "", "the version to release, vX.Y.Z")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := release.Run(ctx, release.Options{Root: *root, Version: *version, Log: os.Stdout}); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}
