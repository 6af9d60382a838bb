package static

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/dockerflow-go/dockerflow/static/internal/codings"
)

// Cache-Control of the answers.
const (
	// immutableCacheControl: a hashed name's content never changes, so a
	// browser or CDN keeps it for a year without asking again.
	immutableCacheControl = "public, max-age=31536000, immutable"
	// logicalCacheControl: a logical name (favicon.ico) changes with a
	// deploy; it is kept a minute, then revalidated by its ETag.
	logicalCacheControl = "public, max-age=60"
	// devCacheControl: a source file in development, asked again every
	// time.
	devCacheControl = "no-cache"
)

// ManifestName is the file, at the root of a built tree, that maps
// logical names to hashed ones.
const ManifestName = "manifest.json"

// Handler serves a built tree (package build) under a prefix.
type Handler struct {
	prefix   string
	manifest map[string]string // logical → hashed
	files    map[string]*file  // by hashed name
	dev      string            // NewDev: the folder of sources, read on each request
}

// file is one name with its representations, by content coding ("" the
// identity).
type file struct {
	contentType string
	reps        map[string]representation
}

// representation is one encoding of a file, with its own strong
// validator (RFC 9110 8.8.3): the content's hash, and for a compressed
// copy "-" and the coding.
type representation struct {
	body []byte
	etag string
}

// New reads manifest.json and every file it names from fsys, a tree
// Build wrote, and serves them under prefix ("/static/"): the request's
// path still holds it. A tree that lacks a file the manifest names is an
// error naming it.
func New(fsys fs.FS, prefix string) (*Handler, error) {
	if !strings.HasPrefix(prefix, "/") || !strings.HasSuffix(prefix, "/") {
		return nil, fmt.Errorf("static: prefix %q must start and end with /", prefix)
	}
	b, err := fs.ReadFile(fsys, ManifestName)
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	h := &Handler{prefix: prefix, files: map[string]*file{}}
	if err := json.Unmarshal(b, &h.manifest); err != nil {
		return nil, fmt.Errorf("static: %s: %w", ManifestName, err)
	}
	for logical, hashed := range h.manifest {
		if !fs.ValidPath(hashed) || !fs.ValidPath(logical) {
			return nil, fmt.Errorf("static: %s: %q → %q is not a path inside the tree", ManifestName, logical, hashed)
		}
		body, err := fs.ReadFile(fsys, hashed)
		if err != nil {
			return nil, fmt.Errorf("static: %s (for %s): %w", hashed, logical, err)
		}
		ext := path.Ext(hashed)
		hash := strings.TrimPrefix(path.Ext(strings.TrimSuffix(hashed, ext)), ".") // app.<hash>.css
		f := &file{contentType: contentType(hashed), reps: map[string]representation{"": {body, `"` + hash + `"`}}}
		for _, c := range codings.All {
			if b, err := fs.ReadFile(fsys, hashed+c.Suffix); err == nil {
				f.reps[c.Name] = representation{b, `"` + hash + "-" + c.Name + `"`}
			}
		}
		h.files[hashed] = f
	}
	return h, nil
}

// NewDev serves the source files in the folder dir as they are, under
// their logical names, read afresh on each request with Cache-Control:
// no-cache and an ETag of their content: editing a file needs no
// rebuild. URL returns logical names. For a developer's machine.
//
// A symbolic link that leads out of dir (to /etc, to a home folder) is
// not followed, and its name is answered 404; links within dir are
// served. Built with Go 1.24 or later, files are read through an os.Root,
// which holds that against a link changed while it is followed; before,
// each name's links are resolved and checked, then the file read.
func NewDev(dir, prefix string) (*Handler, error) {
	if !strings.HasPrefix(prefix, "/") || !strings.HasSuffix(prefix, "/") {
		return nil, fmt.Errorf("static: prefix %q must start and end with /", prefix)
	}
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("static: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("static: %s is not a folder", dir)
	}
	return &Handler{prefix: prefix, dev: dir}, nil
}

// readDev reads the source file name (a stat alone, when stat is set),
// never out of the folder; the folder is opened afresh, so that a tool
// that replaces it is followed.
func (h *Handler) readDev(name string, stat bool) ([]byte, error) {
	return readInDir(h.dev, name, stat)
}

// URL is the path a page links a static file by: the prefix and its
// hashed name. A name the manifest lacks is an error, so that a page
// never links a file that is not served. For html/template:
//
//	template.FuncMap{"static": assets.URL} // {{static "app.css"}}
func (h *Handler) URL(logical string) (string, error) {
	if h.dev != "" {
		if _, err := h.readDev(logical, true); err != nil {
			return "", fmt.Errorf("static: no file %q: %w", logical, err)
		}
		return h.prefix + logical, nil
	}
	hashed, ok := h.manifest[logical]
	if !ok {
		return "", fmt.Errorf("static: no file %q in %s (run go generate)", logical, ManifestName)
	}
	return h.prefix + hashed, nil
}

// ServeHTTP answers GET and HEAD for a name under the prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, h.prefix)
	// The path as spelled must be the path as decoded: an escaped slash,
	// dot or backslash is refused, not resolved.
	if !ok || !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00") || r.URL.RawPath != "" && r.URL.RawPath != r.URL.Path {
		notFound(w)
		return
	}
	if h.dev != "" {
		h.serveDev(w, r, name)
		return
	}
	f, cache := h.files[name], immutableCacheControl
	if f == nil {
		hashed, ok := h.manifest[name]
		if !ok {
			// During a rolling deploy a page from a new instance can ask an
			// old one for a name it does not have yet: not cached.
			notFound(w)
			return
		}
		f, cache = h.files[hashed], logicalCacheControl
	}
	coding := negotiate(r.Header.Get("Accept-Encoding"), f.reps)
	rep := f.reps[coding]
	hdr.Set("Vary", "Accept-Encoding")
	hdr.Set("Cache-Control", cache)
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("ETag", rep.etag)
	if coding != "" {
		hdr.Set("Content-Encoding", coding)
		r.Header.Del("Range") // ranges are of the identity only
	} else if len(r.Header.Get("Range")) > maxRange {
		r.Header.Del("Range")
	}
	// ServeContent answers If-None-Match (lists, W/, *) with 304, ranges
	// and HEAD.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(rep.body))
}

func (h *Handler) serveDev(w http.ResponseWriter, r *http.Request, name string) {
	body, err := h.readDev(name, false)
	if err != nil {
		notFound(w)
		return
	}
	sum := sha256.Sum256(body)
	hdr := w.Header()
	hdr.Set("Cache-Control", devCacheControl)
	hdr.Set("Content-Type", contentType(name))
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("ETag", `"`+hex.EncodeToString(sum[:6])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// notFound is the answer for anything not served: the path is not
// echoed, and the answer is not cached.
func notFound(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// contentType is the type of a name by its extension, never sniffed.
func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
