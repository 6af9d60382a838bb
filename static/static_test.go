package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/dockerflow-go/dockerflow/static/build"
	"github.com/dockerflow-go/dockerflow/static/internal/codings"
	"github.com/klauspost/compress/zstd"
)

// decode is body decompressed by its Content-Encoding.
func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", coding, err)
	}
	return b
}

// built builds testdata/assets into a temporary folder and serves it.
func built(t testing.TB) (*Handler, string) {
	t.Helper()
	out := t.TempDir()
	if err := build.Build("testdata/assets", out); err != nil {
		t.Fatal(err)
	}
	h, err := New(os.DirFS(out), "/static/")
	if err != nil {
		t.Fatal(err)
	}
	return h, out
}

func serve(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Accept-Encoding with q-values picks the copy; Vary always; one strong
// ETag per representation; hashed names for a year, logical ones for a
// minute; Content-Type from the extension with nosniff.
func TestServeEncodings(t *testing.T) {
	h, _ := built(t)
	url, _ := h.URL("app.css")
	etags := map[string]string{}
	for accept, want := range map[string]string{
		"":                         "",
		"gzip, deflate, br, zstd":  "br",
		"gzip":                     "gzip",
		"zstd, gzip":               "zstd",
		"br;q=0, gzip":             "gzip",
		"br;q=0.5, gzip;q=0.9":     "gzip",
		"*":                        "br",
		"*;q=0":                    "",
		"identity":                 "",
		"br, identity;q=0":         "br",
		"gzip;q=0.1, identity;q=1": "",
		"BR":                       "br",
		"gzip;q=bogus, br;q=2":     "",
		strings.Repeat(",", 10000): "",
	} {
		rec := serve(h, "GET", url, "Accept-Encoding", accept)
		if rec.Code != 200 || rec.Header().Get("Content-Encoding") != want || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %.30q: %d, Content-Encoding %q, Vary %q; want %q", accept, rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"), want)
		}
		if got := decode(t, want, rec.Body.Bytes()); !bytes.Contains(got, []byte("the status page's look")) {
			t.Errorf("Accept-Encoding %.30q: the body does not decode to the file", accept)
		}
		if e := rec.Header().Get("ETag"); etags[want] != "" && etags[want] != e || !strings.HasPrefix(e, `"`) {
			t.Errorf("ETag %q for %q", e, want)
		} else {
			etags[want] = e
		}
		if rec.Header().Get("Cache-Control") != immutableCacheControl || rec.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
			t.Errorf("headers %v", rec.Header())
		}
	}
	if len(etags) != 4 {
		t.Errorf("ETags %v, want one per representation", etags)
	}
	rec := serve(h, "GET", "/static/robots.txt")
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != logicalCacheControl || rec.Header().Get("ETag") == "" {
		t.Errorf("a logical name: %d %v", rec.Code, rec.Header())
	}
}

// If-None-Match (lists, W/, *) answers 304; HEAD has no body; Range works
// on the identity (206, 416); a hostile Range is ignored.
func TestServeConditional(t *testing.T) {
	h, _ := built(t)
	url, _ := h.URL("app.js")
	etag := serve(h, "GET", url, "Accept-Encoding", "br").Header().Get("ETag")
	for _, inm := range []string{etag, `"x", ` + etag, "W/" + etag, "*"} {
		if rec := serve(h, "GET", url, "Accept-Encoding", "br", "If-None-Match", inm); rec.Code != 304 || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match %q: %d", inm, rec.Code)
		}
	}
	if rec := serve(h, "GET", url, "Accept-Encoding", "gzip", "If-None-Match", etag); rec.Code != 200 {
		t.Errorf("the br ETag on a gzip answer: %d, want 200", rec.Code)
	}
	if rec := serve(h, "HEAD", url); rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	if rec := serve(h, "GET", url, "Range", "bytes=0-9"); rec.Code != 206 || rec.Body.Len() != 10 {
		t.Errorf("Range: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	if rec := serve(h, "GET", url, "Range", "bytes=999999-"); rec.Code != 416 {
		t.Errorf("Range past the end: %d", rec.Code)
	}
	if rec := serve(h, "GET", url, "Range", "bytes="+strings.Repeat("0-1,", 1000)); rec.Code != 200 {
		t.Errorf("a hostile Range: %d, want the whole file", rec.Code)
	}
	if rec := serve(h, "POST", url); rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d", rec.Code)
	}
}

// Anything not served is a 404 marked no-store that does not echo the
// path, by any spelling of a way out of the tree.
func TestServeRefuses(t *testing.T) {
	h, _ := built(t)
	url, _ := h.URL("app.css")
	for _, target := range []string{
		"/static/", "/static/nope.css", "/static/" + ManifestName, "/" + url[len("/static/"):], url + ".br",
		"/static/../static/" + strings.TrimPrefix(url, "/static/"), "/static/%2e%2e/go.mod", "/static/img%2Flogo.svg",
		"/static/..%5cgo.mod", "/static/a%00b", "/other" + url, "/static//" + strings.TrimPrefix(url, "/static/"),
	} {
		rec := serve(h, "GET", target)
		if rec.Code != 404 || rec.Header().Get("Cache-Control") != "no-store" || strings.Contains(rec.Body.String(), "static") {
			t.Errorf("%s: %d %q, Cache-Control %q", target, rec.Code, rec.Body.String(), rec.Header().Get("Cache-Control"))
		}
	}
	if _, err := h.URL("missing.css"); err == nil {
		t.Error("URL of a missing file: no error")
	}
	if _, err := New(os.DirFS(t.TempDir()), "/static/"); err == nil || !strings.Contains(err.Error(), ManifestName) {
		t.Errorf("a tree without a manifest: %v", err)
	}
	if _, err := New(os.DirFS(t.TempDir()), "static"); err == nil {
		t.Error("a prefix without slashes accepted")
	}
}

// Development: the sources served as they are, no-cache, read afresh.
func TestDev(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "app.css"), []byte("a{}"), 0o644)
	h, err := NewDev(dir, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	url, err := h.URL("app.css")
	if err != nil || url != "/static/app.css" {
		t.Fatalf("URL: %q %v", url, err)
	}
	first := serve(h, "GET", url)
	_ = os.WriteFile(filepath.Join(dir, "app.css"), []byte("b{}"), 0o644)
	second := serve(h, "GET", url)
	if first.Body.String() != "a{}" || second.Body.String() != "b{}" || second.Header().Get("Cache-Control") != "no-cache" || first.Header().Get("ETag") == second.Header().Get("ETag") {
		t.Errorf("dev: %q then %q, %v", first.Body.String(), second.Body.String(), second.Header())
	}
	if rec := serve(h, "GET", "/static/../"+filepath.Base(dir)); rec.Code != 404 {
		t.Errorf("dev traversal: %d", rec.Code)
	}
}

// NewDev follows no link out of its folder (issue 33: a link to
// /etc/hostname was served 200); links inside it are served.
func TestDevRefusesLinksOut(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	_ = os.WriteFile(outside, []byte("S3CRET"), 0o644)
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "app.css"), []byte("a{}"), 0o644)
	_ = os.Mkdir(filepath.Join(dir, "img"), 0o755)
	for link, target := range map[string]string{
		"leak.txt":     outside,
		"rel.txt":      "../" + filepath.Base(filepath.Dir(outside)) + "/secret.txt",
		"img/up.txt":   "../../" + filepath.Base(filepath.Dir(outside)) + "/secret.txt",
		"etc":          "/etc",
		"inside.css":   "app.css",
		"img/back.css": "../app.css",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	h, err := NewDev(dir, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	// The reader of Go before 1.24, which has no os.Root, holds the same.
	for _, p := range []string{"leak.txt", "rel.txt", "img/up.txt", "etc/hostname", "etc/passwd"} {
		if b, err := readResolved(dir, p, false); err == nil {
			t.Errorf("readResolved(%s), a link out of the folder: %.20q", p, b)
		}
	}
	for _, p := range []string{"inside.css", "img/back.css", "app.css"} {
		if b, err := readResolved(dir, p, false); err != nil || string(b) != "a{}" {
			t.Errorf("readResolved(%s), inside the folder: %q, %v", p, b, err)
		}
	}
	for _, p := range []string{"leak.txt", "rel.txt", "img/up.txt", "etc/hostname", "etc/passwd"} {
		if rec := serve(h, "GET", "/static/"+p); rec.Code != 404 || strings.Contains(rec.Body.String(), "S3CRET") {
			t.Errorf("%s, a link out of the folder: %d %.40q", p, rec.Code, rec.Body.String())
		}
		if _, err := h.URL(p); err == nil {
			t.Errorf("URL(%q), a link out of the folder: no error", p)
		}
	}
	for _, p := range []string{"inside.css", "img/back.css"} {
		if rec := serve(h, "GET", "/static/"+p); rec.Code != 200 || rec.Body.String() != "a{}" {
			t.Errorf("%s, a link inside the folder: %d %q", p, rec.Code, rec.Body.String())
		}
	}
}

// No request path escapes the tree or panics.
func FuzzServePath(f *testing.F) {
	for _, s := range []string{"/static/app.css", "/static/../x", "/static/%2e%2e/x", "/static/a\\b", "/static/\x00", "//", "/static/img/logo.svg"} {
		f.Add(s)
	}
	h, _ := built(f)
	f.Fuzz(func(t *testing.T, p string) {
		r, err := http.NewRequest("GET", "http://h"+p, nil)
		if err != nil || r.URL.Path == "" {
			return
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == 200 && strings.Contains(r.URL.Path, "..") {
			t.Fatalf("%q served", p)
		}
	})
}

// BenchmarkServe: a hashed file with Accept-Encoding: br, gzip against
// http.FileServer serving the same file uncompressed.
func BenchmarkServe(b *testing.B) {
	h, out := built(b)
	url, _ := h.URL("app.css")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.Dir(out)))
	for name, handler := range map[string]http.Handler{"http.FileServer": fileServer, "static.Handler": h} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", url, nil)
			req.Header.Set("Accept-Encoding", "br, gzip")
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				handler.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// A 1 MB Accept-Encoding or Range header of commas costs a request no more
// memory than a plain one does, give or take a constant (issue 22: 40 such
// requests took an example from 78 MB to 1.37 GB).
func TestHostileHeadersBoundedMemory(t *testing.T) {
	h, _ := built(t)
	url, _ := h.URL("app.js")
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
			h.ServeHTTP(httptest.NewRecorder(), r.Clone(r.Context()))
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / n
	}
	plain := allocated("Accept-Encoding", "gzip, br")
	for _, hdr := range [][]string{
		{"Accept-Encoding", commas},
		{"Accept-Encoding", "gzip;q=0.5" + commas + "br"},
		{"Range", "bytes=" + commas},
		{"Range", "bytes=0-1" + strings.Repeat(",0-1", 1<<18)},
	} {
		if got := allocated(hdr...); got > plain+64<<10 {
			t.Errorf("%s of %d bytes: %d bytes allocated per request, a plain one %d", hdr[0], len(hdr[1]), got, plain)
		}
		if rec := serve(h, "GET", url, hdr...); rec.Code != 200 {
			t.Errorf("%s of %d bytes: status %d, want the whole file", hdr[0], len(hdr[1]), rec.Code)
		}
	}
}

// The build writes the manifest the handler reads.
func TestManifestName(t *testing.T) {
	if ManifestName != codings.ManifestName {
		t.Errorf("ManifestName %q, the build's %q", ManifestName, codings.ManifestName)
	}
}
