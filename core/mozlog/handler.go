package mozlog

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
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
	set    *settings   // what dockerflow.New turned on, shared likewise
}

// settings are the options dockerflow.New can turn on after the handler
// was made (ApplyLogSettings).
type settings struct{ text, cloudSeverity atomic.Bool }

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler writing to w; opts may be nil.
func NewHandler(w io.Writer, opts *Options) *Handler {
	h := &Handler{w: w, mu: &sync.Mutex{}, set: &settings{}}
	if opts != nil {
		h.opts = *opts
	}
	return h
}

// ApplyLogSettings turns on the text format and Cloud Logging's severity
// for h and every handler derived from it. dockerflow.New calls it when
// it is given a logger on h (dockerflow.SlogLogger) and LogFormat "text"
// or LogCloudSeverity (or DOCKERFLOW_LOG_FORMAT, DOCKERFLOW_LOG_CLOUD_SEVERITY).
func (h *Handler) ApplyLogSettings(text, cloudSeverity bool) error {
	if h.set == nil {
		h.set = &settings{} // a Handler{} literal: only this one then
	}
	if text {
		h.set.text.Store(true)
	}
	if cloudSeverity {
		h.set.cloudSeverity.Store(true)
	}
	return nil
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return h.opts.Enabled(l) }

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
	o := &h.opts
	if h.set != nil && (h.set.text.Load() || h.set.cloudSeverity.Load()) {
		c := h.opts
		c.Text = c.Text || h.set.text.Load()
		c.CloudSeverity = c.CloudSeverity || h.set.cloudSeverity.Load()
		o = &c
	}
	mu := h.mu
	if mu == nil {
		mu = &sync.Mutex{} // a Handler{} literal: each Write is one line anyway
	}
	return o.WriteEntry(h.w, mu, ctx, r.Time, typ, r.Level, r.Message, fields)
}
