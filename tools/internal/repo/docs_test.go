package repo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// maxReadmeLines is the README's budget: what the library is, how to
// install it, one quickstart, the modules, links (issue 34). Everything
// else is a page of docs/.
const maxReadmeLines = 300

// The README stays short, its links lead somewhere, and its quickstart is
// the program of core's package documentation and of dockerflowhttp's
// compiled example, word for word.
func TestReadme(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	readme := read(t, filepath.Join(root, "README.md"))
	if n := strings.Count(readme, "\n"); n > maxReadmeLines {
		t.Errorf("README.md has %d lines, above its budget of %d: move a section to docs/", n, maxReadmeLines)
	}
	for _, m := range regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`).FindAllStringSubmatch(readme, -1) {
		if _, err := os.Stat(filepath.Join(root, m[1])); err != nil {
			t.Errorf("README.md links %s, which does not exist", m[1])
		}
	}
	for _, page := range []string{"configuration", "checks", "logging", "frameworks", "lifecycle-and-kubernetes", "static", "metrics-and-errors", "checker", "security-and-redaction"} {
		if !strings.Contains(readme, "(docs/"+page+".md)") {
			t.Errorf("README.md does not link docs/%s.md", page)
		}
	}

	_, after, ok := strings.Cut(readme, "## Quickstart")
	if !ok {
		t.Fatal("README.md has no Quickstart section")
	}
	_, program, _ := strings.Cut(after, "```go\n")
	program, _, _ = strings.Cut(program, "```\n")

	doc := read(t, filepath.Join(root, "core", "doc.go"))
	_, inDoc, ok := strings.Cut(doc, "// # Quickstart\n")
	if !ok {
		t.Fatal("core/doc.go has no Quickstart section")
	}
	var lines []string
	started := false
	for _, l := range strings.Split(inDoc, "\n") {
		switch {
		case strings.HasPrefix(l, "//\t"):
			started = true
			lines = append(lines, strings.TrimPrefix(l, "//\t"))
		case started && l == "//":
			lines = append(lines, "")
		case started:
			goto done
		}
	}
done:
	if got := strings.TrimSpace(strings.Join(lines, "\n")); got != strings.TrimSpace(program) {
		t.Errorf("core/doc.go's quickstart differs from the README's:\n%s\n--- README:\n%s", got, program)
	}

	mainBody := body(t, "README.md", program, "main")
	example := read(t, filepath.Join(root, "adapters", "nethttp", "example_quickstart_test.go"))
	if got := body(t, "example_quickstart_test.go", example, "Example_quickstart"); got != mainBody {
		t.Errorf("dockerflowhttp's Example_quickstart differs from the README's main:\n%s\n--- README:\n%s", got, mainBody)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// body returns the source of the body of function fn in src.
func body(t *testing.T, name, src, fn string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == fn {
			return src[fset.Position(fd.Body.Lbrace).Offset+1 : fset.Position(fd.Body.Rbrace).Offset]
		}
	}
	t.Fatalf("%s has no func %s", name, fn)
	return ""
}
