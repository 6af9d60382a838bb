package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var staticLink = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// Each example serves the status page and its hashed, precompressed,
// immutable static files, whatever its framework.
func TestStaticContent(t *testing.T) {
	for _, example := range examples {
		t.Run(example, func(t *testing.T) {
			s := start(t, example, "DATABASE_URL=", "REDIS_URL=")
			code, page := s.do("GET", "/", nil)
			links := staticLink.FindAllStringSubmatch(page, -1)
			if code != 200 || len(links) != 3 {
				t.Fatalf("GET /: %d, %d static links, want 200 and 3:\n%s", code, len(links), page)
			}
			for _, l := range links {
				code, _, h := s.try("GET", l[1], nil, "Accept-Encoding", "gzip, br")
				if code != 200 || h.Get("Content-Encoding") != "br" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("Vary") != "Accept-Encoding" {
					t.Errorf("GET %s: %d, headers %v", l[1], code, h)
				}
				if code, _, _ := s.try("GET", l[1], nil, "Accept-Encoding", "gzip, br", "If-None-Match", h.Get("ETag")); code != 304 {
					t.Errorf("GET %s with its ETag: %d, want 304", l[1], code)
				}
				if code, _, h := s.try("HEAD", l[1], nil, "Accept-Encoding", "gzip"); code != 200 || h.Get("Content-Encoding") != "gzip" {
					t.Errorf("HEAD %s: %d, headers %v", l[1], code, h)
				}
			}
			// A logical name is served too, kept only a minute (it changes
			// with a deploy); a name the tree lacks is an uncached 404.
			if code, _, h := s.try("GET", "/static/app.css", nil); code != 200 || h.Get("Cache-Control") != "public, max-age=60" || h.Get("ETag") == "" {
				t.Errorf("GET /static/app.css (a logical name): %d, headers %v, want 200 with a short cache", code, h)
			}
			if code, _, h := s.try("GET", "/static/app.0123456789ab.css", nil); code != 404 || h.Get("Cache-Control") != "no-store" {
				t.Errorf("GET a name the tree lacks: %d, headers %v, want an uncached 404", code, h)
			}
			s.stop()
			for rid, f := range s.checkSummaries() {
				if p, _ := f["path"].(string); strings.HasPrefix(p, "/static/") && f["route"] == nil {
					t.Errorf("summary %s for %s has no route", rid, p)
				}
			}
		})
	}
}

// chromium is the browser the test drives: TEST_DOCKERFLOW_CHROMIUM, or
// chromium on PATH.
func chromium(t *testing.T) string {
	if p := os.Getenv("TEST_DOCKERFLOW_CHROMIUM"); p != "" {
		return p // set: a browser that does not run is a failure, not a skip
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH and TEST_DOCKERFLOW_CHROMIUM unset: no browser to load the page in (.ci/run installs Debian's chromium)")
	return ""
}

// fetched is one answer a browser got, as a proxy in front of the
// service saw it.
type fetched struct {
	path, encoding, rid string
	code                int
}

// A real browser loads /: the page renders what /__version__ and
// /__heartbeat__ say, fetches the hashed assets compressed, and every
// request it made has its request.summary.
func TestBrowserLoadsStatusPage(t *testing.T) {
	browser := chromium(t)
	for _, example := range examples {
		t.Run(example, func(t *testing.T) {
			dir, _ := versionDir(t)
			s := start(t, example, "APP_DIR="+dir, "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS=true", "DATABASE_URL=", "REDIS_URL=")

			// The browser goes through a recording proxy: it sees the
			// encoding of each answer as the browser received it.
			target, _ := url.Parse(s.base)
			var mu sync.Mutex
			var seen []fetched
			proxy := httputil.NewSingleHostReverseProxy(target)
			proxy.ModifyResponse = func(resp *http.Response) error {
				mu.Lock()
				defer mu.Unlock()
				rid := resp.Header.Get("X-Request-ID")
				seen = append(seen, fetched{resp.Request.URL.Path, resp.Header.Get("Content-Encoding"), rid, resp.StatusCode})
				s.mu.Lock()
				s.rids = append(s.rids, rid)
				s.mu.Unlock()
				return nil
			}
			front := httptest.NewServer(proxy)
			defer front.Close()

			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // a hang guard
			defer cancel()
			profile := t.TempDir() // the same for both loads: the second has the first's cache
			load := func() []byte {
				cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
					"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--user-data-dir="+profile,
					// Run the page's scripts, their fetches included, before
					// printing the DOM.
					"--virtual-time-budget=30000", "--dump-dom", front.URL+"/")
				var stderr strings.Builder
				cmd.Stderr = &stderr
				dom, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
				}
				return dom
			}
			dom := load()
			mu.Lock()
			firstLoad := len(seen)
			mu.Unlock()
			load() // again: the hashed files come from the cache, or as 304
			s.stop()
			front.Close()

			for id, want := range map[string]string{
				"body":      `<body data-state="ready">`,
				"version":   `<dd id="version">v2026.11.0</dd>`,
				"commit":    `<dd id="commit">52ce614fbf99540a1bf6228e36be6cef63b4d73b</dd>`,
				"source":    `<dd id="source">https://github.com/acme/notes</dd>`,
				"heartbeat": `<span id="heartbeat" class="status" data-status="ok">ok (200)</span>`,
				"checks":    `<tr><td>database</td><td>ok</td></tr><tr><td>migrations</td><td>ok</td></tr><tr><td>redis</td><td>ok</td></tr>`,
			} {
				if !strings.Contains(string(dom), want) {
					t.Errorf("rendered page: no %s %s in\n%s", id, want, dom)
				}
			}

			mu.Lock()
			defer mu.Unlock()
			got := map[string]fetched{}
			for _, f := range seen[:firstLoad] {
				got[f.path] = f
			}
			for _, f := range seen[firstLoad:] {
				// Only what the first load fetched can be in the cache: the
				// icon may be fetched first by the second load, when the
				// first printed its DOM and exited before asking for it.
				if _, first := got[f.path]; first && strings.HasPrefix(f.path, "/static/") && f.code != http.StatusNotModified {
					t.Errorf("the second load fetched %s again: %d, want it from the cache or 304", f.path, f.code)
				}
			}
			for _, path := range []string{"/", "/__version__", "/__heartbeat__"} {
				if got[path].code != 200 {
					t.Errorf("the browser's %s: %+v, want 200", path, got[path])
				}
			}
			// The stylesheet and the script: the page needs both (the
			// icon the browser may fetch after the DOM is printed).
			links := staticLink.FindAllStringSubmatch(string(dom), -1)
			if len(links) != 3 {
				t.Errorf("rendered page links %d static files, want 3", len(links))
			}
			for _, l := range links {
				f, ok := got[l[1]]
				if !ok && strings.Contains(l[0], "favicon") {
					continue
				}
				if f.code != 200 || (f.encoding != "br" && f.encoding != "gzip") {
					t.Errorf("the browser's %s: %+v, want 200 compressed (br or gzip)", l[1], f)
				}
			}
			// One summary per answer the browser got, under its request ID.
			sums := s.checkSummaries()
			for _, f := range seen {
				if sum := sums[f.rid]; sum == nil || sum["path"] != f.path || sum["code"] != float64(f.code) {
					t.Errorf("summary for the browser's %s (rid %s): %v", f.path, f.rid, sum)
				}
			}
		})
	}
}
