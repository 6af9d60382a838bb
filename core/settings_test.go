package dockerflow

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The package documentation and the README list every variable of the
// settings table, as the table describes it.
func TestSettingsDocumented(t *testing.T) {
	docGo, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var docBlock, readmeRows []string
	for _, st := range settings {
		docBlock = append(docBlock, fmt.Sprintf("//\t%-39s %s", st.name, st.kind))
		readmeRows = append(readmeRows, fmt.Sprintf("| `%s` | %s |", st.name, st.kind))
	}
	if block := strings.Join(docBlock, "\n"); !strings.Contains(string(docGo), block) {
		t.Errorf("doc.go does not list the settings as the table has them; want this block:\n%s", block)
	}
	if rows := strings.Join(readmeRows, "\n"); !strings.Contains(string(readme), rows) {
		t.Errorf("README.md does not list the settings as the table has them; want these rows:\n%s", rows)
	}
}
