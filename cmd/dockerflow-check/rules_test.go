package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the rules' table in docs/checker.md")

// docs/checker.md lists every rule, its source and what it asks, from the
// rules themselves: the table cannot drift from them (go test -update
// rewrites it).
func TestRulesDocumented(t *testing.T) {
	const (
		path  = "../../docs/checker.md"
		start = "<!-- rules: generated from the checker's rules by go test -update -->\n| rule | source | what it asks |\n| --- | --- | --- |\n"
		end   = "<!-- end of rules -->"
	)
	var rows strings.Builder
	for _, n := range ruleNames() {
		r := rules[n]
		fmt.Fprintf(&rows, "| `%s` | [%s](%s) | %s |\n", n, r.from, r.link, strings.ReplaceAll(r.reason, "|", `\|`))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no rules' table between %q and %q", path, start, end)
	}
	want := doc[:i+len(start)] + rows.String() + doc[j:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s's rules' table is stale: go test -run TestRulesDocumented -update ./cmd/dockerflow-check", path)
}
