// Command apilist writes the exported API of every module of the
// repository, one file per module under api/, one declaration per line,
// as the Go project keeps its api/ files: an API change shows up in
// review. With -check it compares instead, and fails on any difference,
// and on an incompatible change since the last release (as apidiff
// classifies it) that CHANGELOG.md does not note.
//
//	go run ./tools/cmd/apilist          # rewrite api/*.txt
//	go run ./tools/cmd/apilist -check   # make test
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dockerflow-go/dockerflow/tools/internal/release"
	"github.com/dockerflow-go/dockerflow/tools/internal/repo"
)

var (
	root  = flag.String("root", ".", "the repository's root")
	check = flag.Bool("check", false, "compare with api/ instead of writing it")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "apilist:", err)
		os.Exit(1)
	}
}

func run() error {
	mods, err := repo.LibraryModules(*root)
	if err != nil {
		return err
	}
	stale := 0
	for _, mod := range mods {
		lines, err := moduleAPI(filepath.Join(*root, mod))
		if err != nil {
			return err
		}
		text := strings.Join(lines, "\n") + "\n"
		file := filepath.Join(*root, "api", strings.ReplaceAll(mod, "/", "-")+".txt")
		if !*check {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				return err
			}
			continue
		}
		old, _ := os.ReadFile(file)
		if string(old) != text {
			stale++
			fmt.Fprintf(os.Stderr, "%s differs from the exported API of %s:\n%s", file, mod, diff(string(old), text))
		}
	}
	if stale > 0 {
		return fmt.Errorf("the API changed in %d modules: review it, then run go run ./tools/cmd/apilist (make api)", stale)
	}
	if *check {
		return release.CheckAPI(context.Background(), *root, os.Stdout)
	}
	return nil
}

// diff lists the lines only one side has.
func diff(old, cur string) string {
	have := map[string]bool{}
	for _, l := range strings.Split(old, "\n") {
		have[l] = true
	}
	want := map[string]bool{}
	var b strings.Builder
	for _, l := range strings.Split(cur, "\n") {
		want[l] = true
		if !have[l] {
			fmt.Fprintf(&b, "  + %s\n", l)
		}
	}
	for _, l := range strings.Split(old, "\n") {
		if !want[l] {
			fmt.Fprintf(&b, "  - %s\n", l)
		}
	}
	return b.String()
}

// moduleAPI returns the declarations of every package of the module at
// dir, but for internal ones, commands and nested modules.
func moduleAPI(dir string) ([]string, error) {
	modPath, err := repo.ModulePath(dir)
	if err != nil {
		return nil, err
	}
	var lines []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != dir {
			if name == "internal" || name == "testdata" || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		rel, _ := filepath.Rel(dir, path)
		pkgPath := modPath
		if rel != "." {
			pkgPath += "/" + filepath.ToSlash(rel)
		}
		pkgLines, err := packageAPI(path, pkgPath)
		lines = append(lines, pkgLines...)
		return err
	})
	return lines, err
}

func packageAPI(dir, pkgPath string) ([]string, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, p := range pkgs {
		if p.Name == "main" {
			continue
		}
		prefix := "pkg " + pkgPath + ", "
		add := func(s string) { lines = append(lines, prefix+s) }
		for _, f := range p.Files {
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() {
						continue
					}
					if d.Recv == nil {
						add("func " + d.Name.Name + strings.TrimPrefix(node(fset, d.Type), "func"))
						continue
					}
					recv := node(fset, d.Recv.List[0].Type)
					if !ast.IsExported(strings.TrimLeft(recv, "*")) {
						continue
					}
					add("method (" + recv + ") " + d.Name.Name + strings.TrimPrefix(node(fset, d.Type), "func"))
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.TypeSpec:
							if s.Name.IsExported() {
								typeAPI(fset, s, add)
							}
						case *ast.ValueSpec:
							for i, n := range s.Names {
								if !n.IsExported() {
									continue
								}
								line := d.Tok.String() + " " + n.Name
								if s.Type != nil {
									line += " " + node(fset, s.Type)
								}
								if d.Tok == token.CONST && i < len(s.Values) {
									line += " = " + node(fset, s.Values[i])
								}
								add(line)
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(lines)
	return lines, nil
}

// typeAPI adds a type and, for structs and interfaces, each exported
// field or method on a line of its own.
func typeAPI(fset *token.FileSet, s *ast.TypeSpec, add func(string)) {
	name := s.Name.Name
	if s.TypeParams != nil { // generic: Pinger[S Status]
		var params []string
		for _, f := range s.TypeParams.List {
			var names []string
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
			params = append(params, strings.Join(names, ", ")+" "+node(fset, f.Type))
		}
		name += "[" + strings.Join(params, ", ") + "]"
	}
	if s.Assign.IsValid() {
		add("type " + name + " = " + node(fset, s.Type))
		return
	}
	switch t := s.Type.(type) {
	case *ast.StructType:
		add("type " + name + " struct")
		for _, f := range t.Fields.List {
			for _, n := range f.Names {
				if n.IsExported() {
					add("type " + name + " struct, " + n.Name + " " + node(fset, f.Type))
				}
			}
			if len(f.Names) == 0 { // embedded
				add("type " + name + " struct, embedded " + node(fset, f.Type))
			}
		}
	case *ast.InterfaceType:
		add("type " + name + " interface")
		for _, m := range t.Methods.List {
			for _, n := range m.Names {
				add("type " + name + " interface, " + n.Name + strings.TrimPrefix(node(fset, m.Type), "func"))
			}
			if len(m.Names) == 0 {
				add("type " + name + " interface, embedded " + node(fset, m.Type))
			}
		}
	default:
		add("type " + name + " " + node(fset, s.Type))
	}
}

func node(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, fset, n)
	return strings.Join(strings.Fields(b.String()), " ")
}
