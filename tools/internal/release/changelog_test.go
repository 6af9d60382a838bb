package release

import (
	"strings"
	"testing"
)

func TestDateEntry(t *testing.T) {
	const text = "# Changelog\n\nWrite under `## [Unreleased]`; breaks on a line `Breaking:`.\n\n" +
		"## [Unreleased]\n\n- Fixed a thing.\n\n## [v0.1.0] - 2026-01-01\n\n- First.\n"
	got, body, err := dateEntry(text, "v0.2.0", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Changelog\n\nWrite under `## [Unreleased]`; breaks on a line `Breaking:`.\n\n" +
		"## [Unreleased]\n\n## [v0.2.0] - 2026-12-01\n\n- Fixed a thing.\n\n## [v0.1.0] - 2026-01-01\n\n- First.\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if body != "\n- Fixed a thing.\n" || notesBreaking(body) {
		t.Errorf("entry %q (the preamble's words are not the entry's)", body)
	}

	if same, body, err := dateEntry(want, "v0.2.0", "2027-01-01"); err != nil || same != want || !strings.Contains(body, "Fixed") {
		t.Errorf("an entry already headed with the version is kept: %v\n%s", err, same)
	}
	if _, _, err := dateEntry(want, "v0.3.0", "2027-01-01"); err == nil || !strings.Contains(err.Error(), "nothing for v0.3.0") {
		t.Errorf("an empty Unreleased entry: err %v", err)
	}
}

func TestBumpAllows(t *testing.T) {
	breaking := []Change{{Module: "core", Message: "New: removed"}}
	for _, tc := range []struct {
		last, next string
		breaking   []Change
		want       string // "" allowed, else a word of the error
	}{
		{"v0.1.0", "v0.1.1", nil, ""},
		{"v0.1.0", "v0.1.1", breaking, "at least a new minor version (v0.2.0"},
		{"v0.1.3", "v0.2.0", breaking, ""},
		{"v0.9.0", "v1.0.0", breaking, ""},
		{"v1.2.0", "v1.3.0", breaking, "new major version"},
		{"v1.2.0", "v2.0.0", breaking, ""},
	} {
		err := bumpAllows(tc.last, tc.next, tc.breaking)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s (%d breaking): err %v, want %q", tc.last, tc.next, len(tc.breaking), err, tc.want)
		}
	}
}
