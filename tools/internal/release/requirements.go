package release

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/dockerflow-go/dockerflow/tools/internal/repo"
)

// setSiblingRequirements makes every module of the repository require each
// sibling module it requires at version, and returns the go.mod files it
// changed. The replace directives that let GOWORK=off builds find a
// sibling's folder stay; a user of a module never sees them.
func setSiblingRequirements(root, version string) ([]string, error) {
	mods, err := repo.Modules(root)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, m := range mods {
		file := filepath.Join(root, m, "go.mod")
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		f, err := modfile.Parse(file, data, nil)
		if err != nil {
			return nil, err
		}
		edited := false
		for _, r := range f.Require {
			if strings.HasPrefix(r.Mod.Path, repo.Prefix+"/") && r.Mod.Version != version {
				if err := f.AddRequire(r.Mod.Path, version); err != nil {
					return nil, err
				}
				edited = true
			}
		}
		if !edited {
			continue
		}
		f.Cleanup()
		if err := os.WriteFile(file, modfile.Format(f.Syntax), 0o644); err != nil {
			return nil, err
		}
		changed = append(changed, filepath.ToSlash(filepath.Join(m, "go.mod")))
	}
	return changed, nil
}
