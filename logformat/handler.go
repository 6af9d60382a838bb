package logformat

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
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
	attrs  []slog.Attr // from WithAttrs, keys already prefixed
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
	h2.attrs = append([]slog.Attr(nil), h.attrs...)
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
func (h *Handler) add(fields []slog.Attr, typ string, a slog.Attr, prefix string) ([]slog.Attr, string) {
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
	return append(fields, slog.Attr{Key: prefix + a.Key, Value: a.Value}), typ
}

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	var buf [24]slog.Attr
	fields := append(buf[:0], h.attrs...)
	typ := h.typ
	hasRID := false
	r.Attrs(func(a slog.Attr) bool {
		fields, typ = h.add(fields, typ, a, h.prefix)
		return true
	})
	for _, f := range fields {
		hasRID = hasRID || f.Key == "rid"
	}
	if !hasRID && ctx != nil {
		if rid := dockerflow.RequestID(ctx); rid != "" {
			fields = append(fields, slog.Attr{Key: "rid", Value: slog.StringValue(rid)})
		}
	}
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	hdr := h.opts.Formatter.header(t, typ, mozlog.SlogSeverity(r.Level))
	return mozlog.WriteLine(h.w, h.mu, &hdr, r.Message, fields)
}
