package logformat

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// HandlerOptions configures a Handler. The zero value works.
type HandlerOptions struct {
	// Formatter sets the envelope: Logger, Type, EnvVersion, Hostname,
	// Pid, Now.
	Formatter Formatter
	// Level is the lowest level logged; slog.LevelInfo when nil.
	Level slog.Leveler
}

// Handler is a slog.Handler that writes the same mozlog lines as
// Formatter, by the same rules. Groups become dotted keys ("req.id"), so
// Fields stays flat. An attribute TypeKey sets the entry's Type.
type Handler struct {
	opts   HandlerOptions
	w      io.Writer
	mu     *sync.Mutex // shared by the handlers derived from one another
	attrs  []field     // from WithAttrs, keys already prefixed
	prefix string      // from WithGroup: "a.b."
	typ    string      // from WithAttrs(TypeKey)
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler writing to w.
func NewHandler(w io.Writer, opts *HandlerOptions) *Handler {
	h := &Handler{w: w, mu: &sync.Mutex{}}
	if opts != nil {
		h.opts = *opts
	}
	return h
}

// SlogSeverity is the syslog severity of a slog level: error+4 and above
// (dockerflow's critical) 2, error 3, warn 4, info 6, debug and below 7.
func SlogSeverity(l slog.Level) int {
	switch {
	case l >= slog.LevelError+4:
		return 2
	case l >= slog.LevelError:
		return 3
	case l >= slog.LevelWarn:
		return 4
	case l >= slog.LevelInfo:
		return 6
	}
	return 7
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	min := slog.LevelInfo
	if h.opts.Level != nil {
		min = h.opts.Level.Level()
	}
	return l >= min
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.attrs = append([]field(nil), h.attrs...)
	for _, a := range attrs {
		h2.attrs, h2.typ = h2.add(h2.attrs, h2.typ, a, h.prefix)
	}
	return &h2
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}

// add appends attribute a, flattening groups, and returns the Type it
// sets, if it is TypeKey at the top level.
func (h *Handler) add(fields []field, typ string, a slog.Attr, prefix string) ([]field, string) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return fields, typ
	}
	if a.Value.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			fields, typ = h.add(fields, typ, g, prefix)
		}
		return fields, typ
	}
	if prefix == "" && a.Key == TypeKey && a.Value.Kind() == slog.KindString {
		return fields, a.Value.String()
	}
	return append(fields, field{prefix + a.Key, a.Value}), typ
}

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	var buf [24]field
	fields := append(buf[:0], h.attrs...)
	typ := h.typ
	hasRID := false
	r.Attrs(func(a slog.Attr) bool {
		fields, typ = h.add(fields, typ, a, h.prefix)
		return true
	})
	for _, f := range fields {
		hasRID = hasRID || f.key == "rid"
	}
	if !hasRID && ctx != nil {
		if rid := dockerflow.RequestID(ctx); rid != "" {
			fields = append(fields, field{"rid", slog.StringValue(rid)})
		}
	}
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	env := h.opts.Formatter.envelope(t, typ, SlogSeverity(r.Level))
	bp := linePool.Get().(*[]byte)
	line := appendLine((*bp)[:0], &env, r.Message, fields)
	h.mu.Lock()
	_, err := h.w.Write(line)
	h.mu.Unlock()
	*bp = line
	if cap(line) <= 64<<10 {
		linePool.Put(bp)
	}
	return err
}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}
