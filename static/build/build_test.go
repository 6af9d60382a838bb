package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/static"
	"github.com/dockerflow-go/dockerflow/static/build"
)

// The same input gives the same bytes; CSS references point at the
// hashed names; tiny files get no compressed copy that would be larger.
func TestBuild(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if err := build.Build("../testdata/assets", out); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string][]byte{}
	_ = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(a, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
			other, _ := os.ReadFile(filepath.Join(b, rel))
			if !bytes.Equal(files[filepath.ToSlash(rel)], other) {
				t.Errorf("%s differs between two builds", rel)
			}
		}
		return nil
	})
	h, _ := static.New(os.DirFS(a), "/static/")
	logo, _ := h.URL("img/logo.svg")
	base, _ := h.URL("base.css")
	appURL, _ := h.URL("app.css")
	app := files[strings.TrimPrefix(appURL, "/static/")]
	if !bytes.Contains(app, []byte("url("+strings.TrimPrefix(logo, "/static/")+")")) || !bytes.Contains(app, []byte(`@import "`+strings.TrimPrefix(base, "/static/")+`"`)) {
		t.Errorf("app.css references are not rewritten to %s and %s:\n%.200s", logo, base, app)
	}
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{12}\.css$`).MatchString(appURL) {
		t.Errorf("hashed name %s", appURL)
	}
	for _, suffix := range []string{".br", ".gz", ".zst"} {
		if files[strings.TrimPrefix(appURL, "/static/")+suffix] == nil {
			t.Errorf("app.css has no %s copy", suffix)
		}
	}
	robots, _ := h.URL("robots.txt")
	if files[strings.TrimPrefix(robots, "/static/")+".br"] != nil {
		t.Error("a 14-byte file got a compressed copy")
	}
	if err := build.Check("../testdata/assets", a); err != nil {
		t.Errorf("Check after Build: %v", err)
	}
	_ = os.WriteFile(filepath.Join(a, "stale.js"), []byte("x"), 0o644)
	if err := build.Check("../testdata/assets", a); err == nil || !strings.Contains(err.Error(), "extra stale.js") {
		t.Errorf("Check with a stale file: %v", err)
	}
	bad := t.TempDir()
	_ = os.WriteFile(filepath.Join(bad, "x.js.gz"), []byte("x"), 0o644)
	if err := build.Build(bad, t.TempDir()); err == nil || !strings.Contains(err.Error(), "x.js.gz") {
		t.Errorf("a source named like a compressed copy: %v", err)
	}
}
