package slogformat

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Options configures a Handler. The zero value works.
type Options struct {
	// Logger is the mozlog Logger, the application's name; by default the
	// executable's name.
	Logger string
	// Type is the Type of entries that set none with mozlog.TypeKey;
	// "app.log" by default.
	Type string
	// EnvVersion is the mozlog envelope version, "2.0" by default.
	EnvVersion string
	// Hostname and Pid replace the machine's, read once per process.
	Hostname string
	Pid      int
	// Now, if set, replaces the entries' time (for reproducible output).
	Now func() time.Time
	// CloudSeverity adds Google Cloud Logging's "severity" ("ERROR"…)
	// beside mozlog's numeric Severity, which Cloud Logging ignores.
	CloudSeverity bool
	// Text writes one human line per entry instead of mozlog JSON, for a
	// developer's machine: time, severity, Type, message, then the fields
	// as key=value.
	Text bool
	// Level is the lowest level logged; slog.LevelInfo when nil.
	Level slog.Leveler
}

// New returns a *slog.Logger that writes mozlog lines to w: the one call
// a service needs.
//
//	logger := slogformat.New(os.Stdout, &slogformat.Options{Logger: "myservice"})
//	slog.SetDefault(logger) // the log package's output becomes mozlog too
//	svc, err := dockerflow.New(dockerflow.Config{Logger: dockerflow.SlogLogger(logger)})
func New(w io.Writer, opts *Options) *slog.Logger { return slog.New(NewHandler(w, opts)) }

// Handler is a slog.Handler that writes mozlog lines, by the same rules as
// logformat's logrus Formatter. Groups become dotted keys ("req.id"), so
// Fields stays flat. An attribute mozlog.TypeKey sets the entry's Type.
type Handler struct {
	opts   Options
	w      io.Writer
	mu     *sync.Mutex // shared by the handlers derived from one another
	attrs  []slog.Attr // from WithAttrs, keys already prefixed
	prefix string      // from WithGroup: "a.b."
	typ    string      // from WithAttrs(TypeKey)
	// set holds what dockerflow.New turned on (ApplyLogSettings), shared
	// with the handlers derived from one another.
	set *settings
}

// settings are the options dockerflow.New can turn on after the handler
// was made.
type settings struct{ text, cloudSeverity atomic.Bool }

// ApplyLogSettings turns on the text format and Cloud Logging's severity
// for h and every handler derived from it, when dockerflow.New is given
// them (Config.LogFormat, LogCloudSeverity, or their DOCKERFLOW_
// variables) with a logger on h: dockerflow.SlogLogger(logger).
func (h *Handler) ApplyLogSettings(text, cloudSeverity bool) error {
	if h.set == nil {
		return fmt.Errorf("a slogformat.Handler not made by NewHandler takes no log settings")
	}
	if text {
		h.set.text.Store(true)
	}
	if cloudSeverity {
		h.set.cloudSeverity.Store(true)
	}
	return nil
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler writing to w.
func NewHandler(w io.Writer, opts *Options) *Handler {
	h := &Handler{w: w, mu: &sync.Mutex{}, set: &settings{}}
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
	if prefix == "" && a.Key == mozlog.TypeKey && a.Value.Kind() == slog.KindString {
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
	hasTrace := false
	for _, f := range fields {
		hasRID = hasRID || f.Key == "rid"
		hasTrace = hasTrace || f.Key == "trace_id"
	}
	if ctx != nil {
		if rid := dockerflow.RequestID(ctx); rid != "" && !hasRID {
			fields = append(fields, slog.Attr{Key: "rid", Value: slog.StringValue(rid)})
		}
		if trace := adapter.TraceID(ctx); trace != "" && !hasTrace {
			fields = append(fields, slog.Attr{Key: "trace_id", Value: slog.StringValue(trace)})
		}
	}
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	if h.opts.Now != nil {
		t = h.opts.Now()
	}
	if typ == "" {
		typ = h.opts.Type
	}
	hdr := mozlog.Header{Timestamp: t.UnixNano(), Type: typ, Logger: h.opts.Logger, Hostname: h.opts.Hostname,
		EnvVersion: h.opts.EnvVersion, Severity: mozlog.SlogSeverity(r.Level), Pid: h.opts.Pid,
		CloudSeverity: h.opts.CloudSeverity || h.set != nil && h.set.cloudSeverity.Load(),
		Text:          h.opts.Text || h.set != nil && h.set.text.Load()}
	hdr.FillDefaults()
	return mozlog.WriteLine(h.w, h.mu, &hdr, r.Message, fields)
}
