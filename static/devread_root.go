//go:build go1.24

package static

import (
	"io/fs"
	"os"
)

// readInDir reads the file name in dir (a stat alone, when stat is set)
// through an os.Root: no link leads out of dir.
func readInDir(dir, name string, stat bool) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	if stat {
		_, err := root.Stat(name)
		return nil, err
	}
	return fs.ReadFile(root.FS(), name)
}
