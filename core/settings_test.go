package dockerflow

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The package documentation and docs/configuration.md list every variable
// of the settings table, as the table describes it: go generate (this
// test with -update) writes both; without -update the test fails while
// either is stale.
func TestSettingsDocumented(t *testing.T) {
	var docBlock, mdRows []string
	for _, st := range settings {
		docBlock = append(docBlock, fmt.Sprintf("//\t%-39s %s", st.name, st.kind))
		mdRows = append(mdRows, fmt.Sprintf("| `%s` | %s |", st.name, st.kind))
	}
	for _, f := range []struct {
		path, begin, end, rows string
	}{
		{"doc.go", "// (settings: generated from the settings table by go generate)\n//\n", "\n//\n// (end of settings)",
			strings.Join(docBlock, "\n")},
		{"../docs/configuration.md", "<!-- settings: generated from core's settings table by go generate -->\n| variable | what it takes, its default, what it does |\n| --- | --- |\n",
			"\n<!-- end of settings -->", strings.Join(mdRows, "\n")},
	} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		i := strings.Index(text, f.begin)
		j := strings.Index(text, f.end)
		if i < 0 || j < i {
			t.Errorf("%s has no block of settings between %q and %q", f.path, f.begin, f.end)
			continue
		}
		want := text[:i+len(f.begin)] + f.rows + text[j:]
		if *update {
			if err := os.WriteFile(f.path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want != text {
			t.Errorf("%s does not list the settings as the table has them: run go generate in core", f.path)
		}
	}
}
