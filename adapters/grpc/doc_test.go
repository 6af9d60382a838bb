package dockerflowgrpc_test

import (
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// The package's documentation leads with ServerOptions, which the README
// uses, not the interceptors alone, which miss unknown methods and closed
// connections (issue 33: go doc showed the interceptors as the way in).
func TestDocLeadsWithServerOptions(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	p := doc.New(pkgs["dockerflowgrpc"], "github.com/dockerflow-go/dockerflow/adapters/grpc", 0)
	first := ""
	for _, block := range p.Parser().Parse(p.Doc).Content {
		if code, ok := block.(*comment.Code); ok {
			first = code.Text
			break
		}
	}
	if !strings.Contains(first, "grpc.NewServer(dockerflowgrpc.ServerOptions(svc)...)") {
		t.Errorf("the package doc's first program:\n%s\nwant it to build the server with ServerOptions", first)
	}
}
