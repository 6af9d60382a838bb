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

// Build never deletes what it did not write (issue 33: -src web/assets
// -out web deleted web/assets and every other file of web, and -out equal
// to -src replaced the sources).
func TestBuildNeverDeletesSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustExist := func(when string, names ...string) {
		t.Helper()
		for _, name := range names {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Errorf("%s: %s is gone", when, name)
			}
		}
	}
	write("web/assets/app.css", "body{color:red}")
	write("web/index.html", "<html>")
	src := filepath.Join(dir, "web", "assets")
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(dir, "web"), "holds the source folder"},
		{src, "is the source folder"},
		{src + string(filepath.Separator) + ".", "is the source folder"},
		{filepath.Join(src, "built"), "lies inside the source folder"},
		{filepath.Join(dir, "web", "assets", "..", "assets", "x"), "lies inside the source folder"},
		{filepath.Join(dir, "web"), "holds the source folder"},
	} {
		if err := build.Build(src, tc.out); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("-src %s -out %s: %v, want an error saying it %s", src, tc.out, err, tc.want)
		}
		mustExist("-out "+tc.out, "web/assets/app.css", "web/index.html")
	}
	if link := filepath.Join(dir, "link"); os.Symlink(src, link) == nil {
		if err := build.Build(src, link); err == nil {
			t.Error("-out a link to -src: accepted")
		}
		mustExist("-out a link to -src", "web/assets/app.css")
	}

	// A folder that holds files dfstatic did not write is refused.
	out := filepath.Join(dir, "web", "static")
	write("web/static/notes.txt", "mine")
	if err := build.Build(src, out); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a non-empty folder without a marker: %v, want an error naming notes.txt", err)
	}
	mustExist("a non-empty folder", "web/static/notes.txt")
	_ = os.Remove(filepath.Join(out, "notes.txt"))

	// A folder it wrote is rebuilt: what it wrote is replaced, and a file
	// added since makes it stop rather than delete that file.
	if err := build.Build(src, out); err != nil {
		t.Fatal(err)
	}
	first, _ := filepath.Glob(filepath.Join(out, "app.*.css"))
	write("web/assets/app.css", "body{color:blue}")
	if err := build.Build(src, out); err != nil {
		t.Fatalf("a rebuild: %v", err)
	}
	for _, f := range first {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("a rebuild kept the stale %s", f)
		}
	}
	if err := build.Check(src, out); err != nil {
		t.Errorf("Check after a rebuild: %v", err)
	}
	write("web/static/keep/me.txt", "mine")
	if err := build.Build(src, out); err == nil || !strings.Contains(err.Error(), "keep/me.txt") {
		t.Errorf("a file added to a built folder: %v, want an error naming it", err)
	}
	mustExist("a file added to a built folder", "web/static/keep/me.txt", "web/assets/app.css", "web/index.html")
}
