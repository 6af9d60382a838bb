package dockerflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"sync"
)

// MaxVersionSize is the largest version object served: 1 MiB.
const MaxVersionSize = 1 << 20

// ErrVersionNotFound is returned, wrapped, when there is no version
// object. It matches fs.ErrNotExist, so a VersionLoader may return either.
var ErrVersionNotFound = fmt.Errorf("version.json not found: %w", fs.ErrNotExist)

// VersionLoader returns the raw JSON of the version object, replacing the
// file. It returns an error matching fs.ErrNotExist when there is none yet.
type VersionLoader func(ctx context.Context) ([]byte, error)

// VersionError is a version object that exists but cannot be served:
// unreadable, malformed, not a JSON object, or larger than MaxVersionSize.
type VersionError struct {
	Source string // the file's path, or "loader"
	Reason string // what is wrong, as served in the 500 answer
	Err    error  // the underlying error, if any
}

func (e *VersionError) Error() string {
	msg := e.Source + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *VersionError) Unwrap() error { return e.Err }

// fileLoader reads the version object from path.
func fileLoader(path string) VersionLoader {
	return func(context.Context) ([]byte, error) {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrVersionNotFound)
		}
		if err != nil {
			return nil, &VersionError{Source: path, Reason: "version.json could not be read", Err: err}
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, MaxVersionSize+1))
		if err != nil {
			return nil, &VersionError{Source: path, Reason: "version.json could not be read", Err: err}
		}
		return b, nil
	}
}

// versionSource loads the version object once and serves it from memory.
// Not finding it is not final (the file may be written after start); any
// other outcome is, as the file does not change inside a container.
type versionSource struct {
	source   string // for messages: the path, or "loader"
	load     VersionLoader
	fallback []byte // served while the object is not found, if set
	log      Logger

	mu   sync.Mutex
	body []byte
	err  error
}

func (v *versionSource) get(ctx context.Context) ([]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.body != nil || v.err != nil {
		return v.body, v.err
	}
	raw, err := v.load(ctx)
	if err == nil {
		raw, err = validateVersion(v.source, raw)
	}
	switch {
	case err == nil:
		v.body = raw
		return raw, nil
	case ctx.Err() != nil:
		return nil, err // the request ended: not the version object's fault
	case errors.Is(err, fs.ErrNotExist):
		if v.fallback != nil {
			return v.fallback, nil
		}
		return nil, err
	}
	var ve *VersionError
	if !errors.As(err, &ve) {
		ve = &VersionError{Source: v.source, Reason: "version.json could not be loaded", Err: err}
	}
	v.err = ve
	v.log.LogEvent(ctx, Event{Type: TypeVersion, Level: LevelError, Msg: ve.Error(),
		Attrs: []slog.Attr{slog.String("source", ve.Source)}})
	return nil, ve
}

// validateVersion checks raw is a JSON object of at most MaxVersionSize
// bytes, and returns it compacted.
func validateVersion(source string, raw []byte) ([]byte, error) {
	if len(raw) > MaxVersionSize {
		return nil, &VersionError{Source: source, Reason: "version.json is larger than 1 MiB"}
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, &VersionError{Source: source, Reason: "version.json is not valid JSON", Err: err}
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, &VersionError{Source: source, Reason: "version.json is not a JSON object",
			Err: fmt.Errorf("it holds %s", jsonKind(v))}
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, &VersionError{Source: source, Reason: "version.json is not valid JSON", Err: err}
	}
	return buf.Bytes(), nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "something else"
}

// buildInfoVersion builds a version object from the binary's build
// information: the main module's path as source, its version (empty when
// built from a work tree), and the VCS revision as commit.
func buildInfoVersion(bi *debug.BuildInfo) []byte {
	v := struct {
		Source  string `json:"source"`
		Version string `json:"version"`
		Commit  string `json:"commit"`
		Build   string `json:"build"`
	}{}
	if bi != nil {
		v.Source = bi.Main.Path
		if first, _, _ := strings.Cut(v.Source, "/"); strings.Contains(first, ".") {
			v.Source = "https://" + v.Source
		}
		if bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				v.Commit = s.Value
			}
		}
	}
	return marshal(v)
}
