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
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// maxVersionSize is the largest version object served: 1 MiB.
const maxVersionSize = 1 << 20

// errVersionNotFound is returned, wrapped, when there is no version
// object. It matches fs.ErrNotExist, as a Config.VersionLoader's may.
var errVersionNotFound = fmt.Errorf("version.json not found: %w", fs.ErrNotExist)

// versionLoader returns the raw JSON of the version object
// (Config.VersionLoader).
type versionLoader = func(ctx context.Context) ([]byte, error)

// versionError is a version object that exists but cannot be served:
// unreadable, not a regular file, malformed (not JSON, not UTF-8, not a
// JSON object), or larger than maxVersionSize.
type versionError struct {
	source string // the file's path, or "loader"
	reason string // what is wrong, as served in the 500 answer
	err    error  // the underlying error, if any

	final bool // it says what the object holds, and is served until restart
}

func (e *versionError) Error() string {
	msg := e.source + ": " + e.reason
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

func (e *versionError) Unwrap() error { return e.err }

// fileLoader reads the version object from path. It refuses anything but
// a regular file at once (a FIFO would block the read forever), opening
// without blocking.
func fileLoader(path string) versionLoader {
	return func(context.Context) ([]byte, error) {
		f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, errVersionNotFound)
		}
		if err != nil {
			return nil, err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, &versionError{source: path, reason: "version.json is not a regular file",
				err: fmt.Errorf("its mode is %v", fi.Mode().Type())}
		}
		return io.ReadAll(io.LimitReader(f, maxVersionSize+1))
	}
}

// versionSource loads the version object and serves it from memory. What
// the object says (valid, or malformed) is final, as the file does not
// change inside a container; not finding it, or failing to read it (out
// of file descriptors, say), is not: the next request looks again. No lock
// is held while loading: a request waits for a load under way only as long
// as its context lets it.
type versionSource struct {
	source   string // for messages: the path, or "loader"
	load     versionLoader
	fallback []byte // served while the object is not found, if set
	log      Logger

	mu            sync.Mutex
	body          []byte
	err           *versionError // a final error
	loading       *versionLoad  // the load under way
	logged        string        // the last error logged, so that a repeated one is logged once
	notFoundNoted bool
}

// versionLoad is one call of the loader, shared by the requests that wait
// for it.
type versionLoad struct {
	done chan struct{}
	body []byte
	err  error
}

func (v *versionSource) get(ctx context.Context) ([]byte, error) {
	v.mu.Lock()
	if v.body != nil || v.err != nil {
		defer v.mu.Unlock()
		if v.err != nil {
			return nil, v.err
		}
		return v.body, nil
	}
	if l := v.loading; l != nil {
		v.mu.Unlock()
		select {
		case <-l.done:
			return v.outcome(ctx, l)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	l := &versionLoad{done: make(chan struct{})}
	v.loading = l
	v.mu.Unlock()
	// The load is everyone's: it keeps the first caller's values (its
	// request ID reaches the logs) but not its cancellation, and is bounded
	// by a timeout of its own.
	go v.run(context.WithoutCancel(ctx), l)
	select {
	case <-l.done:
		return v.outcome(ctx, l)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// versionLoadTimeout bounds one call of the loader (a file read, or the
// application's Config.VersionLoader).
const versionLoadTimeout = 10 * time.Second

// run calls the loader once for l and keeps what is final.
func (v *versionSource) run(ctx context.Context, l *versionLoad) {
	ctx, cancel := context.WithTimeout(ctx, versionLoadTimeout)
	defer cancel()
	l.body, l.err = v.load(ctx)
	if l.err == nil {
		l.body, l.err = validateVersion(v.source, l.body)
	}
	v.mu.Lock()
	v.loading = nil
	var ve *versionError
	switch {
	case l.err == nil:
		v.body = l.body
	case errors.As(l.err, &ve) && ve.final:
		v.err = ve
	}
	v.mu.Unlock()
	close(l.done)
}

// outcome turns a load into the answer of one request, logging what went
// wrong once.
func (v *versionSource) outcome(ctx context.Context, l *versionLoad) ([]byte, error) {
	err := l.err
	switch {
	case err == nil:
		return l.body, nil
	case errors.Is(err, fs.ErrNotExist):
		v.noteNotFound(ctx)
		if v.fallback != nil {
			return v.fallback, nil
		}
		return nil, err
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return nil, err // the request ended: not the version object's fault
	}
	var ve *versionError
	if !errors.As(err, &ve) {
		ve = &versionError{source: v.source, reason: "version.json could not be read", err: err}
	}
	v.mu.Lock()
	repeated := v.logged == ve.Error()
	v.logged = ve.Error()
	v.mu.Unlock()
	if !repeated {
		v.log.LogEvent(ctx, Event{Type: mozlog.TypeVersion, Level: LevelError, Msg: ve.Error(),
			Attrs: []slog.Attr{slog.String("source", ve.source)}})
	}
	return nil, ve
}

// noteNotFound logs, once, where the version object was looked for.
func (v *versionSource) noteNotFound(ctx context.Context) {
	v.mu.Lock()
	noted := v.notFoundNoted
	v.notFoundNoted = true
	v.mu.Unlock()
	if noted {
		return
	}
	msg := "version.json not found at " + v.source + "; /__version__ answers 404 until it is there"
	if v.source == "loader" {
		msg = "the version loader found no version object; /__version__ answers 404 until it does"
	}
	if v.fallback != nil {
		msg = strings.Replace(msg, "answers 404", "serves the build information", 1)
	}
	v.log.LogEvent(ctx, Event{Type: mozlog.TypeVersion, Level: LevelWarning, Msg: msg,
		Attrs: []slog.Attr{slog.String("source", v.source)}})
}

// validateVersion checks raw is a JSON object in UTF-8 of at most
// maxVersionSize bytes, and returns it compacted. Its errors are final:
// they say what the object holds.
func validateVersion(source string, raw []byte) ([]byte, error) {
	bad := func(reason string, err error) error {
		return &versionError{source: source, reason: reason, err: err, final: true}
	}
	if len(raw) > maxVersionSize {
		return nil, bad("version.json is larger than 1 MiB", nil)
	}
	if !utf8.Valid(raw) {
		return nil, bad("version.json is not valid UTF-8", nil)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, bad("version.json is not valid JSON", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, bad("version.json is not a JSON object", fmt.Errorf("it holds %s", jsonKind(v)))
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, bad("version.json is not valid JSON", err)
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
