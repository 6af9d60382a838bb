package staticbuild

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
)

// ManifestName is the file, at the root of the output tree, that maps
// logical names to hashed ones.
const ManifestName = "manifest.json"

// hashLen is how many hex digits of the content's SHA-256 a name carries
// (48 bits, as Django's 12).
const hashLen = 12

// Encodings are the precompressed copies, by file suffix.
var Encodings = map[string]func(w io.Writer) io.WriteCloser{
	".br": func(w io.Writer) io.WriteCloser { return brotli.NewWriterLevel(w, brotli.BestCompression) },
	".gz": func(w io.Writer) io.WriteCloser {
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression) // a valid level: no error
		return zw                                             // no name, no time: the same input gives the same bytes
	},
}

// Build reads every file under src and writes the hashed tree, its
// compressed copies and the manifest into out, removing whatever else out
// held.
func Build(src, out string) error {
	files, err := plan(src)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("clearing %s: %w", out, err)
	}
	for name, b := range files {
		p := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Check reports how the tree in out differs from what Build would write
// from src: a missing, extra or changed file. Compressed copies are
// compared by what they decompress to, so a new compressor version that
// packs the same bytes differently is no difference.
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
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		return err
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
		return fmt.Errorf("%s is out of date with %s (run go generate): %s", out, src, strings.Join(diffs, ", "))
	}
	return nil
}

// plan returns every file Build writes, the manifest included, by
// slash-separated name under out.
func plan(src string) (map[string][]byte, error) {
	files := map[string][]byte{}
	manifest := map[string]string{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		rel, _ := filepath.Rel(src, p)
		logical := filepath.ToSlash(rel)
		if _, compressed := Encodings[path.Ext(logical)]; compressed {
			return fmt.Errorf("%s: a source file cannot end in %s, the suffix of a compressed copy", p, path.Ext(logical))
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		hashed := HashedName(logical, b)
		manifest[logical] = hashed
		files[hashed] = b
		for suffix, enc := range Encodings {
			var buf bytes.Buffer
			w := enc(&buf)
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("compressing %s: %w", p, err)
			}
			if err := w.Close(); err != nil {
				return fmt.Errorf("compressing %s: %w", p, err)
			}
			if buf.Len() < len(b) { // a tiny file can grow
				files[hashed+suffix] = buf.Bytes()
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", src, err)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("reading %s: no files", src)
	}
	m, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return nil, err
	}
	files[ManifestName] = append(m, '\n')
	return files, nil
}

// HashedName is logical with the first hex digits of b's SHA-256 before
// its extension: css/app.css becomes css/app.1f2e3d4c5b6a.css.
func HashedName(logical string, b []byte) string {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])[:hashLen]
	ext := path.Ext(logical)
	return strings.TrimSuffix(logical, ext) + "." + h + ext
}

// decoded is b decompressed when name says it is compressed.
func decoded(name string, b []byte) []byte {
	var r io.Reader
	switch path.Ext(name) {
	case ".br":
		r = brotli.NewReader(bytes.NewReader(b))
	case ".gz":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil
		}
		r = zr
	default:
		return b
	}
	d, err := io.ReadAll(r)
	if err != nil {
		return nil
	}
	return d
}
