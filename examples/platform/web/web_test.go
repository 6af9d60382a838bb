package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockerflow-go/dockerflow/static/build"
)

// The checked-in tree is what go generate makes of assets/.
func TestStaticUpToDate(t *testing.T) {
	if err := build.Check("assets", "static"); err != nil {
		t.Fatal(err)
	}
}

func newTestSite(t *testing.T) *Site {
	t.Helper()
	s, err := New("example-test")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func serve(h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHome(t *testing.T) {
	s := newTestSite(t)
	w := serve(s.Home(), "GET", "/")
	body := w.Body.String()
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" || w.Header().Get("Cache-Control") != "no-cache" ||
		!strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("GET /: %d, headers %v", w.Code, w.Header())
	}
	if !strings.Contains(body, "<title>example-test</title>") {
		t.Errorf("page does not name the service:\n%s", body)
	}
	links := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(links) != 3 {
		t.Fatalf("page links %d static files, want 3:\n%s", len(links), body)
	}
	for _, l := range links {
		if !regexp.MustCompile(`^/static/(app|favicon)\.[0-9a-f]{12}\.(css|js|svg)$`).MatchString(l[1]) {
			t.Errorf("page links %s, not a hashed name", l[1])
		}
		if w := serve(s.Static(), "GET", l[1]); w.Code != 200 {
			t.Errorf("page links %s, which answers %d", l[1], w.Code)
		}
	}
	if w := serve(s.Home(), "GET", "/", "If-None-Match", w.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("GET / with its ETag: %d, want 304", w.Code)
	}
}

// A broken embedded tree is a start-up error naming what is wrong.
func TestNewSiteErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		fs   fstest.MapFS
		want string
	}{
		"no manifest":  {fstest.MapFS{}, "static: open manifest.json: file does not exist"},
		"bad manifest": {fstest.MapFS{"manifest.json": {Data: []byte("[")}}, "static: manifest.json: unexpected end of JSON input"},
		"missing file": {fstest.MapFS{"manifest.json": {Data: []byte(`{"app.css":"app.0123456789ab.css","app.js":"app.0123456789ab.js","favicon.svg":"f.0123456789ab.svg"}`)},
			"app.0123456789ab.js": {}, "f.0123456789ab.svg": {}}, "static: app.0123456789ab.css (for app.css): open app.0123456789ab.css: file does not exist"},
		"page links a missing file": {fstest.MapFS{"manifest.json": {Data: []byte(`{"app.css":"a.0123456789ab.css"}`)}, "a.0123456789ab.css": {}},
			`static: no file "favicon.svg"`},
	} {
		_, err := newSite("x", tc.fs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}
