package repo

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// The budget of package dockerflow's public page (issue 34): what an
// application author reads, the adapter kit (declared in files whose names
// start with "adapter"), and Config's fields. A new exported name must
// earn its place: raise a budget only with a reason in the commit.
//
// Raised by issue 36: AddFields (applications add fields to their
// request's summary), Tracker.ResponseSize (adapters report the body's
// size), Config.SummaryFields (the opt-in summary fields, one list for
// all) and Config.GoogleCloudProject (the traces Cloud Logging's fields
// link to), each settable from code as every setting is; Level.SlogLevel
// (the one mapping of a level that every logging front end, ours or an
// application's own Logger, starts from, instead of a switch in each).
//
// Raised by issue 37: Service.Broken (a process says it must be
// restarted); Config.HeartbeatDetailsToken and HeartbeatDetailsAllowed
// (details for operators only: a token, or any rule of the
// application's); in the kit, Adapter.Alive and Adapter.ShowsDetails, so
// that a health server of an adapter's own (gRPC) answers liveness and
// List by the same state and policy as the HTTP endpoints.
const (
	maxAppIdentifiers = 53
	maxKitIdentifiers = 28
	maxConfigFields   = 29
)

// TestPublicSurface counts package dockerflow's exported identifiers as
// go/doc lists them (constants, variables, functions, types, methods),
// split by the file that declares them, and Config's exported fields.
func TestPublicSurface(t *testing.T) {
	dir, err := filepath.Abs("../../../core")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	p := pkgs["dockerflow"]
	if p == nil {
		t.Fatalf("no package dockerflow in %s", dir)
	}
	var app, kit []string
	add := func(name string, at token.Pos) {
		if strings.HasPrefix(filepath.Base(fset.Position(at).Filename), "adapter") {
			kit = append(kit, name)
		} else {
			app = append(app, name)
		}
	}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			for _, spec := range v.Decl.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if n.IsExported() {
						add(n.Name, n.Pos())
					}
				}
			}
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			add(prefix+f.Name, f.Decl.Pos())
		}
	}
	d := doc.New(p, "dockerflow", 0)
	values(d.Consts)
	values(d.Vars)
	funcs("", d.Funcs)
	fields := 0
	for _, typ := range d.Types {
		add(typ.Name, typ.Decl.Pos())
		values(typ.Consts)
		values(typ.Vars)
		funcs("", typ.Funcs)
		funcs(typ.Name+".", typ.Methods)
		if typ.Name == "Config" {
			for _, f := range typ.Decl.Specs[0].(*ast.TypeSpec).Type.(*ast.StructType).Fields.List {
				for _, n := range f.Names {
					if n.IsExported() {
						fields++
					}
				}
			}
		}
	}
	t.Logf("package dockerflow: %d identifiers for applications, %d in the adapter kit; Config: %d fields", len(app), len(kit), fields)
	if len(app) > maxAppIdentifiers {
		t.Errorf("package dockerflow exports %d identifiers outside the adapter kit, above its budget of %d: %s", len(app), maxAppIdentifiers, strings.Join(app, " "))
	}
	if len(kit) > maxKitIdentifiers {
		t.Errorf("the adapter kit (core/adapter*.go) exports %d identifiers, above its budget of %d: %s", len(kit), maxKitIdentifiers, strings.Join(kit, " "))
	}
	if fields > maxConfigFields {
		t.Errorf("Config has %d fields, above its budget of %d", fields, maxConfigFields)
	}
}
