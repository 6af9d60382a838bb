package mozlog

import (
	"context"
	"io"
	"log/slog"
	"sync"
)

// Handler is a log/slog Handler that writes mozlog lines. Groups become
// dotted keys ("req.id"), so Fields stays flat; an attribute TypeKey sets
// the entry's Type. Give dockerflow the logger on it, and the request
// summaries and dockerflow's own events go the same way:
//
//	logger := slog.New(mozlog.NewHandler(os.Stdout, &mozlog.Options{Logger: "myservice"}))
//	slog.SetDefault(logger) // the log package's output becomes mozlog too
//	svc, err := dockerflow.New(dockerflow.Config{Logger: dockerflow.SlogLogger(logger)})
type Handler struct {
	opts   Options
	w      io.Writer
	mu     *sync.Mutex // shared by the handlers derived from one another
	attrs  []slog.Attr // from WithAttrs, keys already prefixed
	prefix string      // from WithGroup: "a.b."
	typ    string      // from WithAttrs(TypeKey)
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler writing to w; opts may be nil.
func NewHandler(w io.Writer, opts *Options) *Handler {
	h := &Handler{w: w, mu: &sync.Mutex{}}
	if opts != nil {
		h.opts = *opts
	}
	return h
}

// Options returns the options h writes with.
func (h *Handler) Options() Options { return h.opts }

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return h.opts.enabled(l) }

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		h2.attrs, h2.typ = add(h2.attrs, h2.typ, a, h.prefix)
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
func add(fields []slog.Attr, typ string, a slog.Attr, prefix string) ([]slog.Attr, string) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return fields, typ
	}
	if a.Value.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			fields, typ = add(fields, typ, g, prefix)
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
	r.Attrs(func(a slog.Attr) bool {
		fields, typ = add(fields, typ, a, h.prefix)
		return true
	})
	mu := h.mu
	if mu == nil {
		mu = &sync.Mutex{} // a Handler{} literal: each Write is one line anyway
	}
	return h.opts.writeEntry(h.w, mu, ctx, r.Time, typ, r.Level, r.Message, fields)
}
