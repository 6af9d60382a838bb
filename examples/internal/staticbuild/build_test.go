package staticbuild

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBuild(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "static")
	big := strings.Repeat("body { color: red; }\n", 50)
	write(t, src, map[string]string{"app.css": big, "js/app.js": "x", "logo.png": "\x89PNG"})
	write(t, out, map[string]string{"stale.txt": "left from before"})
	if err := Build(src, out); err != nil {
		t.Fatal(err)
	}
	css := HashedName("app.css", []byte(big))
	var got []string
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{css, css + ".br", css + ".gz", HashedName("js/app.js", []byte("x")), HashedName("logo.png", []byte("\x89PNG")), ManifestName}
	if strings.Join(sortedCopy(got), " ") != strings.Join(sortedCopy(want), " ") {
		t.Errorf("built\n  %v\nwant (tiny files without copies, stale.txt gone)\n  %v", got, want)
	}
	manifest, _ := os.ReadFile(filepath.Join(out, ManifestName))
	if !strings.Contains(string(manifest), `"js/app.js": "js/app.2d711642b726.js"`) {
		t.Errorf("manifest:\n%s", manifest)
	}
	if err := Check(src, out); err != nil {
		t.Errorf("Check right after Build: %v", err)
	}

	// Each kind of drift is named.
	write(t, src, map[string]string{"app.css": big + "/* edited */", "new.js": "y"})
	write(t, out, map[string]string{"extra.txt": "z"})
	err := Check(src, out)
	for _, w := range []string{"out of date", "(run go generate)", "missing " + HashedName("new.js", []byte("y")), "extra extra.txt", "changed manifest.json", "extra " + css + ".br"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Check after edits: %v, want it to say %q", err, w)
		}
	}
}

func TestBuildRefuses(t *testing.T) {
	empty := t.TempDir()
	if err := Build(empty, t.TempDir()); err == nil || !strings.Contains(err.Error(), "no files") {
		t.Errorf("empty source: %v", err)
	}
	src := t.TempDir()
	write(t, src, map[string]string{"bundle.js.gz": "x"})
	if err := Build(src, t.TempDir()); err == nil || !strings.Contains(err.Error(), "cannot end in .gz") {
		t.Errorf("compressed source: %v", err)
	}
	if err := Build(filepath.Join(src, "nope"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing source: %v", err)
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
