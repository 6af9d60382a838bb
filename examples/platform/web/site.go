package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/dockerflow-go/dockerflow/static"
	"time"
)

//go:embed static
var embedded embed.FS

//go:embed page.html
var pageTemplate string

// Prefix is the path the static files are served under.
const Prefix = "/static/"

// Site serves the status page and the static files it links.
type Site struct {
	assets   *static.Handler
	page     []byte
	pageETag string
}

// New reads the embedded static tree and renders the page for the
// service named name.
func New(name string) (*Site, error) {
	sub, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, err
	}
	return newSite(name, sub)
}

func newSite(name string, fsys fs.FS) (*Site, error) {
	assets, err := static.New(fsys, Prefix)
	if err != nil {
		return nil, err
	}
	s := &Site{assets: assets}
	t, err := template.New("page").Funcs(template.FuncMap{"static": s.URL}).Parse(pageTemplate)
	if err != nil {
		return nil, fmt.Errorf("status page: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, struct{ Name string }{name}); err != nil {
		return nil, fmt.Errorf("status page: %w", err)
	}
	s.page = buf.Bytes()
	sum := sha256.Sum256(s.page)
	s.pageETag = `"` + hex.EncodeToString(sum[:8]) + `"`
	return s, nil
}

// URL is the path a page links a static file by: Prefix and its hashed
// name. A name the manifest does not hold is an error, so a page never
// links a file that is not served.
func (s *Site) URL(logical string) (string, error) { return s.assets.URL(logical) }

// Static serves the files under Prefix (the static module's handler);
// mount it on Prefix (the request's path still holds the prefix).
func (s *Site) Static() http.Handler { return s.assets }

// Home serves the status page, at /.
func (s *Site) Home() http.Handler { return http.HandlerFunc(s.serveHome) }

func (s *Site) serveHome(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The page names the current hashed files: asked again every time.
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", s.pageETag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.page))
}

// getOrHead answers 405 with Allow to any method but GET and HEAD, and
// reports whether the request may go on.
func getOrHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}
