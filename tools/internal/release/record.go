package release

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/semver"
)

// RecordFile is where the repository says what its last release was,
// relative to the root: tags do not always travel with a clone, this file
// does. Only a release writes it.
const RecordFile = "api/release.txt"

const recordHeader = "# The library's last release, written by make release. api-check and the\n" +
	"# next release compare the API with the commit that wrote this line.\n"

// Last is the last release the repository records.
type Last struct {
	Version string // "" before the first release
	Commit  string // the release commit; "" before the first release
}

// LastRelease reads RecordFile under root and finds the commit that
// released it: the tag core/<version> when the clone has it, else the last
// commit that changed the file.
func LastRelease(ctx context.Context, root string) (Last, error) {
	b, err := os.ReadFile(filepath.Join(root, RecordFile))
	if errors.Is(err, os.ErrNotExist) {
		return Last{}, nil
	}
	if err != nil {
		return Last{}, err
	}
	v := ""
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			v = l
			break
		}
	}
	if !semver.IsValid(v) {
		return Last{}, fmt.Errorf("%s names %q, not a semantic version", RecordFile, v)
	}
	if c, err := git(ctx, root, "rev-list", "-n", "1", "core/"+v); err == nil && c != "" {
		return Last{Version: v, Commit: c}, nil
	}
	c, err := git(ctx, root, "log", "-n", "1", "--format=%H", "--", RecordFile)
	if err != nil {
		return Last{}, err
	}
	if c == "" {
		return Last{}, fmt.Errorf("%s names %s, but no commit of this clone wrote it (a shallow clone? git fetch --unshallow)", RecordFile, v)
	}
	return Last{Version: v, Commit: c}, nil
}

func writeRecord(root, version string) error {
	return os.WriteFile(filepath.Join(root, RecordFile), []byte(recordHeader+version+"\n"), 0o644)
}
