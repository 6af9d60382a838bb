package release

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dockerflow-go/dockerflow/tools/internal/repo"
)

// ReadmeFile is the README whose install lines a release rewrites.
const ReadmeFile = "README.md"

// installLine matches a README line that installs one of the library's
// modules: go get (or go install) of a path under repo.Prefix, at a
// version, and the comment after it.
var installLine = regexp.MustCompile(`^(\s*go (?:get|install) ` + regexp.QuoteMeta(repo.Prefix) + `/)([^@\s]+)@(\S+)(.*)$`)

// nextRelease matches the README's note on a module not released yet.
var nextRelease = regexp.MustCompile(`\s*\((?:from )?the next release\)|\s*\(next release\)`)

// installLines returns text with every install line of a released module
// (mods) at version, and without its "(from the next release)" note: the
// README tells a reader the version that has those modules. A line at
// "latest" keeps it; a command (cmd/...) is released like a module.
func installLines(text, version string, mods []string) string {
	released := map[string]bool{}
	for _, m := range mods {
		released[m] = true
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		m := installLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		pkg := m[2]
		mod := ""
		for candidate := range released {
			if (pkg == candidate || strings.HasPrefix(pkg, candidate+"/")) && len(candidate) > len(mod) {
				mod = candidate
			}
		}
		if mod == "" {
			continue
		}
		at := m[3]
		if at != "latest" {
			at = version
		}
		lines[i] = m[1] + pkg + "@" + at + nextRelease.ReplaceAllString(m[4], "")
	}
	return strings.Join(lines, "\n")
}

// rewriteReadme rewrites root's README's install lines for the release
// of mods at version; it reports whether there is a README.
func rewriteReadme(root, version string, mods []string) (bool, error) {
	p := filepath.Join(root, ReadmeFile)
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, os.WriteFile(p, []byte(installLines(string(b), version, mods)), 0o644)
}
