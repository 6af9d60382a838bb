package static

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errOutside is the error of a name whose links lead out of the folder.
var errOutside = errors.New("static: the name leads out of the folder")

// readResolved reads the file name in dir (a stat alone, when stat is
// set) after following its links and checking that they stay in dir.
// Between the check and the read a link could change: readInDir uses it
// only where os.Root is missing (Go before 1.24).
func readResolved(dir, name string, stat bool) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, fs.ErrInvalid
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, errOutside
	}
	if stat {
		_, err := os.Stat(real)
		return nil, err
	}
	return os.ReadFile(real)
}
