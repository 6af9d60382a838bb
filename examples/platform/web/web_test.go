package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/dockerflow-go/dockerflow/examples/internal/staticbuild"
)

// The checked-in tree is what go generate makes of assets/.
func TestStaticUpToDate(t *testing.T) {
	if err := staticbuild.Check("assets", "static"); err != nil {
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

func decode(t *testing.T, coding string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	d, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", coding, err)
	}
	return d
}

func TestStaticEncodings(t *testing.T) {
	s := newTestSite(t)
	for _, logical := range []string{"app.css", "app.js", "favicon.svg"} {
		src, err := os.ReadFile("assets/" + logical)
		if err != nil {
			t.Fatal(err)
		}
		url, err := s.URL(logical)
		if err != nil {
			t.Fatal(err)
		}
		etags := map[string]string{}
		for accept, want := range map[string]string{
			"":                        "",
			"gzip, deflate, br, zstd": "br",
			"gzip":                    "gzip",
			"GZIP":                    "gzip",
			"br;q=0, gzip":            "gzip",
			"br;q=0,gzip;q=0":         "",
			"gzip;q=0.5, br;q=0.4":    "gzip",
			"*":                       "br",
			"*;q=0, gzip":             "gzip",
			"br;q=bogus, gzip;q=0.1":  "gzip",
			"identity":                "",
			"deflate":                 "",
		} {
			w := serve(s.Static(), "GET", url, "Accept-Encoding", accept)
			h := w.Header()
			if w.Code != 200 || h.Get("Content-Encoding") != want {
				t.Errorf("%s with Accept-Encoding %q: %d, Content-Encoding %q, want 200, %q", url, accept, w.Code, h.Get("Content-Encoding"), want)
				continue
			}
			if got := decode(t, want, w.Body.Bytes()); !bytes.Equal(got, src) {
				t.Errorf("%s with Accept-Encoding %q: body is not %s", url, accept, logical)
			}
			for k, v := range map[string]string{"Cache-Control": ImmutableCacheControl, "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"} {
				if h.Get(k) != v {
					t.Errorf("%s: %s %q, want %q", url, k, h.Get(k), v)
				}
			}
			if !regexp.MustCompile(`^"[0-9a-f]{12}(-br|-gzip)?"$`).MatchString(h.Get("ETag")) {
				t.Errorf("%s: ETag %q is not a quoted strong tag", url, h.Get("ETag"))
			}
			etags[want] = h.Get("ETag")
		}
		if len(etags) != 3 || etags[""] == etags["br"] || etags["br"] == etags["gzip"] {
			t.Errorf("%s: ETags %v, want one per representation", url, etags)
		}
	}
	for logical, want := range map[string]string{"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8", "favicon.svg": "image/svg+xml"} {
		url, _ := s.URL(logical)
		if got := serve(s.Static(), "GET", url).Header().Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", url, got, want)
		}
	}
}

func TestStaticConditionalRequests(t *testing.T) {
	s := newTestSite(t)
	url, _ := s.URL("app.css")
	etag := serve(s.Static(), "GET", url).Header().Get("ETag")
	brETag := serve(s.Static(), "GET", url, "Accept-Encoding", "br").Header().Get("ETag")
	for _, tc := range []struct {
		accept, ifNoneMatch string
		want                int
	}{
		{"", etag, 304},
		{"", `"other", ` + etag, 304},
		{"", "W/" + etag, 304},
		{"", "*", 304},
		{"", `"other"`, 200},
		{"", brETag, 200}, // another representation's tag
		{"br", brETag, 304},
		{"br", etag, 200},
	} {
		w := serve(s.Static(), "GET", url, "Accept-Encoding", tc.accept, "If-None-Match", tc.ifNoneMatch)
		if w.Code != tc.want {
			t.Errorf("Accept-Encoding %q, If-None-Match %q: %d, want %d", tc.accept, tc.ifNoneMatch, w.Code, tc.want)
		}
		if w.Code == 304 && (w.Body.Len() != 0 || w.Header().Get("Cache-Control") != ImmutableCacheControl || w.Header().Get("ETag") == "") {
			t.Errorf("304: body %d bytes, headers %v", w.Body.Len(), w.Header())
		}
	}

	head := serve(s.Static(), "HEAD", url, "Accept-Encoding", "gzip")
	get := serve(s.Static(), "GET", url, "Accept-Encoding", "gzip")
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != get.Header().Get("Content-Length") || head.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("HEAD: %d, %d bytes, headers %v", head.Code, head.Body.Len(), head.Header())
	}
	rng := serve(s.Static(), "GET", url, "Range", "bytes=0-9")
	src, _ := os.ReadFile("assets/app.css")
	if rng.Code != 206 || rng.Body.String() != string(src[:10]) {
		t.Errorf("range: %d %q", rng.Code, rng.Body.String())
	}
}

func TestStaticRefuses(t *testing.T) {
	s := newTestSite(t)
	url, _ := s.URL("app.js")
	for _, path := range []string{
		"/static/app.js", // the logical name: only hashed names are served
		url + ".br",      // a compressed copy by its file name
		"/static/manifest.json",
		"/static/",
		"/static/../site.go",
		"/static/%2e%2e/site.go",
		"/app.js",
	} {
		w := serve(s.Static(), "GET", path, "Accept-Encoding", "br")
		if w.Code != 404 || w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Encoding") != "" {
			t.Errorf("GET %s: %d, headers %v, want an uncached 404", path, w.Code, w.Header())
		}
	}
	for _, h := range []http.Handler{s.Static(), s.Home()} {
		w := serve(h, "POST", url)
		if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s: %d, Allow %q", url, w.Code, w.Header().Get("Allow"))
		}
	}
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
		"no manifest":  {fstest.MapFS{}, "static files: open manifest.json: file does not exist"},
		"bad manifest": {fstest.MapFS{"manifest.json": {Data: []byte("[")}}, "static files: manifest.json: unexpected end of JSON input"},
		"missing file": {fstest.MapFS{"manifest.json": {Data: []byte(`{"app.css":"app.0123456789ab.css","app.js":"app.0123456789ab.js","favicon.svg":"f.0123456789ab.svg"}`)},
			"app.0123456789ab.js": {}, "f.0123456789ab.svg": {}}, "static files: app.0123456789ab.css (for app.css): open app.0123456789ab.css: file does not exist"},
		"page links a missing file": {fstest.MapFS{"manifest.json": {Data: []byte(`{"app.css":"a.0123456789ab.css"}`)}, "a.0123456789ab.css": {}},
			`no static file "favicon.svg"`},
	} {
		_, err := newSite("x", tc.fs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// A 1 MB Accept-Encoding or Range header of commas costs a request no more
// memory than a plain one does, give or take a constant (issue 22: 40 such
// requests took the example from 78 MB to 1.37 GB).
func TestHostileHeadersBoundedMemory(t *testing.T) {
	s := newTestSite(t)
	url, err := s.URL("app.js")
	if err != nil {
		t.Fatal(err)
	}
	commas := strings.Repeat(",", 1<<20)
	allocated := func(header ...string) uint64 {
		r := httptest.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const n = 5
		for i := 0; i < n; i++ {
			s.Static().ServeHTTP(httptest.NewRecorder(), r.Clone(r.Context()))
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / n
	}
	plain := allocated("Accept-Encoding", "gzip, br")
	for _, h := range [][]string{
		{"Accept-Encoding", commas},
		{"Accept-Encoding", "gzip;q=0.5" + commas + "br"},
		{"Range", "bytes=" + commas},
		{"Range", "bytes=0-1" + strings.Repeat(",0-1", 1<<18)},
	} {
		if got := allocated(h...); got > plain+64<<10 {
			t.Errorf("%s of %d bytes: %d bytes allocated per request, a plain one %d", h[0], len(h[1]), got, plain)
		}
		rec := serve(s.Static(), "GET", url, h...)
		if rec.Code != 200 {
			t.Errorf("%s of %d bytes: status %d, want the whole file", h[0], len(h[1]), rec.Code)
		}
	}
}
