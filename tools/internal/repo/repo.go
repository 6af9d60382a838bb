// Package repo knows the shape of this repository: which folders are
// modules, which of them are the library a user imports, and the module
// path prefix they share.
package repo

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Prefix is the module path every module of the repository starts with.
const Prefix = "github.com/dockerflow-go/dockerflow"

// IsLibrary reports whether the module in folder mod (slash-separated,
// relative to the root) is part of the library: not the examples, the
// benchmarks, these tools, or a nested test module.
func IsLibrary(mod string) bool {
	switch strings.SplitN(mod, "/", 2)[0] {
	case "examples", "bench", "tools", "", ".":
		return false
	}
	return !strings.HasSuffix(mod, "/test")
}

// Modules returns the folder of every module under root (each folder with
// a go.mod, hidden folders skipped), relative and slash-separated, sorted.
func Modules(root string) ([]string, error) {
	var mods []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.Name() != "go.mod" {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		mods = append(mods, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(mods)
	return mods, err
}

// LibraryModules returns the library's modules under root: Modules that
// are IsLibrary, so a new adapter is found without being named anywhere.
func LibraryModules(root string) ([]string, error) {
	all, err := Modules(root)
	if err != nil {
		return nil, err
	}
	var mods []string
	for _, m := range all {
		if IsLibrary(m) {
			mods = append(mods, m)
		}
	}
	return mods, nil
}

// ModulePath reads the module path from dir's go.mod.
func ModulePath(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(l, "module "); ok {
			return strings.TrimSpace(p), nil
		}
	}
	return "", fmt.Errorf("%s/go.mod names no module", dir)
}
