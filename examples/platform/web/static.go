package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Prefix is the path the static files are served under.
const Prefix = "/static/"

// ImmutableCacheControl is what an answer for a hashed name says: its
// content never changes, so a browser or CDN keeps it for a year without
// asking again.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

// codingSuffix is the file suffix of each content coding's copy.
var codingSuffix = map[string]string{"br": ".br", "gzip": ".gz"}

// file is one hashed name with its representations, by content coding
// ("" the identity).
type file struct {
	contentType string
	reps        map[string]representation
}

// representation is one encoding of a file, with its own strong
// validator (RFC 9110 8.8.3): the name's hash, which is the content's,
// and for a compressed copy "-" and the coding.
type representation struct {
	body []byte
	etag string
}

// loadFiles reads manifest.json and every file it names from fsys.
func loadFiles(fsys fs.FS) (manifest map[string]string, files map[string]*file, err error) {
	b, err := fs.ReadFile(fsys, "manifest.json")
	if err != nil {
		return nil, nil, fmt.Errorf("static files: %w", err)
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		return nil, nil, fmt.Errorf("static files: manifest.json: %w", err)
	}
	files = map[string]*file{}
	for logical, hashed := range manifest {
		body, err := fs.ReadFile(fsys, hashed)
		if err != nil {
			return nil, nil, fmt.Errorf("static files: %s (for %s): %w", hashed, logical, err)
		}
		ext := path.Ext(hashed)
		hash := strings.TrimPrefix(path.Ext(strings.TrimSuffix(hashed, ext)), ".") // app.<hash>.css
		f := &file{
			contentType: mime.TypeByExtension(ext),
			reps:        map[string]representation{"": {body, `"` + hash + `"`}},
		}
		if f.contentType == "" {
			f.contentType = "application/octet-stream"
		}
		for coding, suffix := range codingSuffix {
			if b, err := fs.ReadFile(fsys, hashed+suffix); err == nil {
				f.reps[coding] = representation{b, `"` + hash + "-" + coding + `"`}
			}
		}
		files[hashed] = f
	}
	return manifest, files, nil
}

// serveStatic answers a request for Prefix + a hashed name.
func (s *Site) serveStatic(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	h := w.Header()
	f, ok := s.files[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok || !strings.HasPrefix(r.URL.Path, Prefix) {
		// During a rolling deploy a page from a new instance can ask an
		// old one for a name it does not have yet: not cached.
		h.Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	coding := negotiate(r.Header.Get("Accept-Encoding"), f.reps)
	rep := f.reps[coding]
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", ImmutableCacheControl)
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", rep.etag)
	if coding != "" {
		h.Set("Content-Encoding", coding)
	}
	if len(r.Header.Get("Range")) > maxRange {
		r.Header.Del("Range")
	}
	// ServeContent answers If-None-Match (lists, W/, *) with 304, ranges
	// and HEAD.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(rep.body))
}
