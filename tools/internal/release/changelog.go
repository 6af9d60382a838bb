package release

import (
	"fmt"
	"strings"
)

// ChangelogFile is the changelog at the repository's root, in the
// keep-a-changelog form: "## [Unreleased]", then "## [v0.1.0] - 2026-12-01".
const ChangelogFile = "CHANGELOG.md"

// unreleased is the heading work in progress is written under.
const unreleased = "Unreleased"

// section returns the body of the "## [name]" section of a changelog,
// up to the next "## " heading, and whether there is one.
func section(text, name string) (string, bool) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "## ["+name+"]") {
			continue
		}
		var body []string
		for _, b := range lines[i+1:] {
			if strings.HasPrefix(b, "## ") {
				break
			}
			body = append(body, b)
		}
		return strings.Join(body, "\n"), true
	}
	return "", false
}

// notesBreaking reports whether a changelog section says what broke.
func notesBreaking(body string) bool {
	return strings.Contains(strings.ToLower(body), "breaking")
}

// dateEntry makes the changelog's entry for version: an entry already
// headed with the version is kept; else the Unreleased entry, which must
// say something, becomes the version's (dated), under a new empty
// Unreleased heading. It returns the new text and the entry's body.
func dateEntry(text, version, date string) (string, string, error) {
	if body, ok := section(text, version); ok {
		return text, body, nil
	}
	body, ok := section(text, unreleased)
	if !ok || strings.TrimSpace(body) == "" {
		return "", "", fmt.Errorf("%s has nothing for %s: write what changed under \"## [%s]\" first", ChangelogFile, version, unreleased)
	}
	heading := "## [" + unreleased + "]"
	i := strings.Index("\n"+text, "\n"+heading) // at the start of a line
	end := i + len(heading)
	if nl := strings.IndexByte(text[end:], '\n'); nl >= 0 {
		end += nl
	} else {
		end = len(text)
	}
	text = text[:i] + heading + "\n\n## [" + version + "] - " + date + text[end:]
	return text, body, nil
}
