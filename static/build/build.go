// Package build writes the tree package static serves: content-hashed
// names, CSS references rewritten to them, brotli, zstd and gzip copies
// where smaller, and manifest.json; the same input gives the same bytes.
// It runs at build time (cmd/dfstatic, go generate): a service's binary
// imports package static alone and links no compressor.
package build

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/dockerflow-go/dockerflow/static/internal/codings"
	"github.com/klauspost/compress/zstd"
)

// hashLen is how many hex digits of the content's SHA-256 a name carries
// (48 bits, as Django's 12).
const hashLen = 12

// encoding is one precompressed copy (codings.All): how it is made and
// read back.
type encoding struct {
	codings.Coding
	compress   func(b []byte) ([]byte, error)
	decompress func(b []byte) ([]byte, error)
}

// encodings are codings.All's, in its order.
var encodings = []encoding{
	{codings.All[0], func(b []byte) ([]byte, error) {
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
		return finish(&buf, w, b)
	}, func(b []byte) ([]byte, error) { return io.ReadAll(brotli.NewReader(bytes.NewReader(b))) }},
	{codings.All[1], func(b []byte) ([]byte, error) {
		w, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		defer w.Close()
		return w.EncodeAll(b, nil), nil
	}, func(b []byte) ([]byte, error) {
		r, err := zstd.NewReader(nil)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return r.DecodeAll(b, nil)
	}},
	{codings.All[2], func(b []byte) ([]byte, error) {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
		return finish(&buf, w, b)                               // no name, no time: the same input gives the same bytes
	}, func(b []byte) ([]byte, error) {
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(r)
	}},
}

func finish(buf *bytes.Buffer, w io.WriteCloser, b []byte) ([]byte, error) {
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Build reads every file under the folder src and writes the hashed tree,
// its compressed copies and the manifest into out. A file it cannot
// process is an error naming it.
//
// Build deletes only what it wrote: out must be a new or empty folder, or
// one a build wrote before (it keeps the list of what it wrote in out, in
// a file named .dfstatic), and out may neither be src, nor lie inside it,
// nor hold it.
func Build(src, out string) error {
	if err := separate(src, out); err != nil {
		return err
	}
	files, err := plan(src)
	if err != nil {
		return err
	}
	owned, err := written(out)
	if err != nil {
		return err
	}
	if err := remove(out, owned); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name, b := range files {
		names = append(names, name)
		p := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("static: %w", err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("static: %w", err)
		}
	}
	sort.Strings(names)
	list := markerHeader + strings.Join(names, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(out, markerName), []byte(list), 0o644); err != nil {
		return fmt.Errorf("static: %w", err)
	}
	return nil
}

// markerName is the file in which Build lists what it wrote into out,
// one slash-separated name a line after markerHeader: a later build
// deletes those files and no other. A dot file: go:embed leaves it out.
const (
	markerName   = ".dfstatic"
	markerHeader = "# Written by dfstatic (github.com/dockerflow-go/dockerflow/static/build); the next build replaces these files.\n"
)

// separate refuses an out that would make Build write over its sources:
// out is src, lies inside it, or holds it (-src web/assets -out web).
func separate(src, out string) error {
	s, err := resolved(src)
	if err != nil {
		return fmt.Errorf("static: reading %s: %w", src, err)
	}
	o, err := resolved(out)
	if err != nil {
		return fmt.Errorf("static: %s: %w", out, err)
	}
	switch {
	case s == o:
		return fmt.Errorf("static: the output folder %s is the source folder: choose another one", out)
	case within(o, s):
		return fmt.Errorf("static: the output folder %s lies inside the source folder %s: choose one outside it", out, src)
	case within(s, o):
		return fmt.Errorf("static: the output folder %s holds the source folder %s: choose one beside it", out, src)
	}
	return nil
}

// resolved is p absolute, with its symbolic links followed as far as it
// exists (the rest of a path not made yet is kept as it is).
func resolved(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// within reports whether path p lies inside folder dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// written returns the files an earlier build wrote into out (its marker's
// list), and refuses an out that holds anything else: a file Build did
// not write is never deleted.
func written(out string) ([]string, error) {
	info, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("static: the output %s is not a folder", out)
	}
	var found []string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if rel = filepath.ToSlash(rel); rel != markerName {
			found = append(found, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: reading %s: %w", out, err)
	}
	list, err := os.ReadFile(filepath.Join(out, markerName))
	if errors.Is(err, fs.ErrNotExist) {
		if len(found) == 0 {
			return nil, nil
		}
		sort.Strings(found)
		return nil, fmt.Errorf("static: the output folder %s holds files dfstatic did not write (%s): it writes only into a new or empty folder, or one it wrote (with its %s file)",
			out, sample(found), markerName)
	}
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	owned := map[string]bool{}
	for _, line := range strings.Split(string(list), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			owned[line] = true
		}
	}
	var foreign []string
	for _, f := range found {
		if !owned[f] {
			foreign = append(foreign, f)
		}
	}
	if len(foreign) > 0 {
		sort.Strings(foreign)
		return nil, fmt.Errorf("static: the output folder %s holds files dfstatic did not write (%s): move them out of it", out, sample(foreign))
	}
	return found, nil
}

// sample is the first few of names, for an error.
func sample(names []string) string {
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	return strings.Join(names, ", ")
}

// remove deletes the files an earlier build wrote into out, then the
// folders that leaves empty (out itself stays).
func remove(out string, files []string) error {
	dirs := map[string]bool{}
	for _, f := range files {
		p := filepath.Join(out, filepath.FromSlash(f))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("static: %w", err)
		}
		for d := filepath.Dir(p); d != filepath.Clean(out) && within(d, out); d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	byDepth := make([]string, 0, len(dirs))
	for d := range dirs {
		byDepth = append(byDepth, d)
	}
	sort.Slice(byDepth, func(i, j int) bool { return len(byDepth[i]) > len(byDepth[j]) })
	for _, d := range byDepth {
		_ = os.Remove(d) // fails, as it should, on a folder not empty
	}
	return nil
}

// Check reports how the tree in out differs from what Build would write
// from src: a missing, extra or changed file. Compressed copies are
// compared by what they decompress to, so a compressor upgrade that packs
// the same bytes differently is no difference.
func Check(src, out string) error {
	want, err := plan(src)
	if err != nil {
		return err
	}
	got := map[string][]byte{}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if rel == markerName {
			return nil
		}
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		return fmt.Errorf("static: %w", err)
	}
	var diffs []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+name)
		case !bytes.Equal(decoded(name, g), decoded(name, w)):
			diffs = append(diffs, "changed "+name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, "extra "+name)
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		return fmt.Errorf("static: %s is out of date with %s (run go generate): %s", out, src, strings.Join(diffs, ", "))
	}
	return nil
}

// cssRef finds the references of a CSS file: url(...) and @import "...".
var cssRef = regexp.MustCompile(`url\(\s*(['"]?)([^'")\s]+)(['"]?)\s*\)|@import\s+(['"])([^'"]+)(['"])`)

// plan returns every file Build writes, the manifest included, by
// slash-separated name under out.
func plan(src string) (map[string][]byte, error) {
	sources := map[string][]byte{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		rel, _ := filepath.Rel(src, p)
		logical := filepath.ToSlash(rel)
		for _, e := range encodings {
			if strings.HasSuffix(logical, e.Suffix) {
				return fmt.Errorf("%s: a source file cannot end in %s, the suffix of a compressed copy", p, e.Suffix)
			}
		}
		if logical == codings.ManifestName {
			return fmt.Errorf("%s: a source file cannot be named %s, the manifest's name", p, codings.ManifestName)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sources[logical] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: reading %s: %w", src, err)
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("static: reading %s: no files", src)
	}
	// Files other than CSS are hashed first; each CSS file is rewritten
	// from its source to the hashed names of what it refers to, then
	// hashed, until no name changes (CSS importing CSS, in chains).
	manifest := map[string]string{}
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	original := map[string][]byte{}
	for _, name := range names {
		if path.Ext(name) == ".css" {
			original[name] = sources[name]
		}
		manifest[name] = hashedName(name, sources[name])
	}
	for range len(original) + 1 {
		changed := false
		for name, css := range original {
			sources[name] = rewriteCSS(name, css, manifest)
			if h := hashedName(name, sources[name]); h != manifest[name] {
				manifest[name], changed = h, true
			}
		}
		if !changed {
			break
		}
	}
	files := map[string][]byte{}
	for _, name := range names {
		b, hashed := sources[name], manifest[name]
		files[hashed] = b
		for _, e := range encodings {
			c, err := e.compress(b)
			if err != nil {
				return nil, fmt.Errorf("static: compressing %s with %s: %w", name, e.Name, err)
			}
			if len(c) < len(b) { // a tiny file can grow
				files[hashed+e.Suffix] = c
			}
		}
	}
	m, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	files[codings.ManifestName] = append(m, '\n')
	return files, nil
}

// rewriteCSS replaces the references of the CSS file name to files of the
// tree by their hashed names: only the last element of a reference
// changes (../img/x.png becomes ../img/x.1f2e3d4c5b6a.png). References
// elsewhere (http:, data:, //host, /absolute, #fragment) and to files the
// tree lacks are left as they are.
func rewriteCSS(name string, css []byte, manifest map[string]string) []byte {
	dir := path.Dir(name)
	return cssRef.ReplaceAllFunc(css, func(m []byte) []byte {
		sub := cssRef.FindSubmatch(m)
		ref := sub[2]
		if len(ref) == 0 {
			ref = sub[5]
		}
		target, suffix := string(ref), ""
		if i := strings.IndexAny(target, "?#"); i >= 0 {
			target, suffix = target[:i], target[i:]
		}
		if target == "" || strings.Contains(target, ":") || strings.HasPrefix(target, "/") {
			return m
		}
		hashed, ok := manifest[path.Join(dir, target)]
		if !ok {
			return m
		}
		newRef := path.Base(hashed)
		if d := path.Dir(target); d != "." {
			newRef = d + "/" + newRef
		}
		return bytes.Replace(m, ref, []byte(newRef+suffix), 1)
	})
}

// hashedName is logical with the first hex digits of b's SHA-256 before
// its extension: css/app.css becomes css/app.1f2e3d4c5b6a.css.
func hashedName(logical string, b []byte) string {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])[:hashLen]
	ext := path.Ext(logical)
	return strings.TrimSuffix(logical, ext) + "." + h + ext
}

// decoded is b decompressed when name says it is compressed.
func decoded(name string, b []byte) []byte {
	for _, e := range encodings {
		if strings.HasSuffix(name, e.Suffix) {
			d, err := e.decompress(b)
			if err != nil {
				return nil
			}
			return d
		}
	}
	return b
}
