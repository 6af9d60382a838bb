package repo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The repository's LICENSE is the Mozilla Public License 2.0, at the root
// only: the go command puts the root's LICENSE in the zip of a module in a
// subfolder that has none (cmd/go's modfetch, and x/mod/zip's
// CreateFromVCS, which the release test checks every module's zip with),
// so one copy serves every module. A module's own LICENSE would replace it.
func TestLicense(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatalf("the repository has no LICENSE: %v", err)
	}
	if !bytes.HasPrefix(b, []byte("Mozilla Public License Version 2.0\n")) || !bytes.Contains(b, []byte("Exhibit B - \"Incompatible With Secondary Licenses\" Notice")) {
		t.Errorf("LICENSE is not the whole Mozilla Public License 2.0: %.60q", b)
	}
	mods, err := Modules(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		if _, err := os.Stat(filepath.Join(root, m, "LICENSE")); err == nil && m != "." {
			t.Errorf("%s has a LICENSE of its own: the module's zip would carry it instead of the root's", m)
		}
	}
}
