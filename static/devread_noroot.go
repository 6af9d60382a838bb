//go:build !go1.24

package static

// readInDir reads the file name in dir (a stat alone, when stat is set),
// its links resolved and kept within dir: Go before 1.24 has no os.Root.
func readInDir(dir, name string, stat bool) ([]byte, error) { return readResolved(dir, name, stat) }
