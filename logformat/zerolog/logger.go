package mozlogzerolog

import (
	"context"
	"log/slog"
	"math"
	"reflect"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/rs/zerolog"
)

// NewLogger returns a dockerflow.Logger that writes request.summary
// entries and dockerflow's events through l, which should be a New
// logger. Summaries are written whatever l's level; events at their level
// (critical is zerolog's fatal level, written without exiting). On a
// logger whose writer is not a Writer, the entries are zerolog events
// (Log, with the level as a field), written to its writer.
//
// The environment's log settings (DOCKERFLOW_LOG_FORMAT,
// DOCKERFLOW_LOG_CLOUD_SEVERITY) belong to the Writer's Options: build
// them with mozlog.OptionsFromEnv to follow them. dockerflow.New never
// changes l, and fails, naming the variables, when l writes otherwise.
func NewLogger(l zerolog.Logger) dockerflow.Logger { return zeroLogger{l, writerOf(l)} }

type zeroLogger struct {
	l zerolog.Logger
	w *Writer // l's writer, when it is a Writer
}

// writerOf returns the Writer l writes to, nil if it writes elsewhere.
// zerolog has no accessor for a logger's writer: it is read from its
// field, and a zerolog whose Logger lacks one is reported as writing
// elsewhere (a test of this package fails on it).
func writerOf(l zerolog.Logger) *Writer {
	f := reflect.ValueOf(&l).Elem().FieldByName("w")
	if !f.IsValid() || f.Kind() != reflect.Interface || f.IsNil() {
		return nil
	}
	if e := f.Elem(); e.Type() == reflect.TypeOf((*Writer)(nil)) {
		return (*Writer)(e.UnsafePointer())
	}
	return nil
}

// LogOptions reports the options of l's Writer, when it writes to one:
// dockerflow.New compares them with the environment's log settings.
func (x zeroLogger) LogOptions() (mozlog.Options, bool) {
	if x.w != nil {
		return x.w.opts, true
	}
	return mozlog.Options{}, false
}

// LogSummary implements dockerflow.Logger.
func (x zeroLogger) LogSummary(ctx context.Context, s *dockerflow.Summary) {
	var buf [24]slog.Attr
	x.write(ctx, s.End, mozlog.TypeSummary, s.Level, s.Msg, s.AppendAttrs(buf[:0]), false)
}

// LogEvent implements dockerflow.Logger. The request ID and trace ID in
// ctx, if any, are added as "rid" and "trace_id".
func (x zeroLogger) LogEvent(ctx context.Context, e dockerflow.Event) {
	zl := zerologLevel(e.Level)
	if zl < x.l.GetLevel() || zl < zerolog.GlobalLevel() {
		return
	}
	x.write(ctx, time.Now(), e.Type, e.Level, e.Msg, e.Attrs, true)
}

// write writes one entry whatever the logger's level: straight to the
// Writer, else as a zerolog event.
func (x zeroLogger) write(ctx context.Context, at time.Time, typ string, level dockerflow.Level, msg string, attrs []slog.Attr, withIDs bool) {
	zl := zerologLevel(level)
	if x.w != nil {
		if withIDs {
			attrs = append(attrs[:len(attrs):len(attrs)], contextAttrs(ctx)...)
		}
		_ = x.w.write(at, typ, slogLevel(zl), msg, attrs)
		return
	}
	e := x.l.Log().Str(zerolog.LevelFieldName, zl.String()).Str(mozlog.TypeKey, typ)
	for _, a := range attrs {
		e = e.Interface(a.Key, a.Value.Any())
	}
	if withIDs {
		e = e.Ctx(ctx)
	}
	e.Msg(msg)
}

// zerologLevel maps a dockerflow level to zerolog's through the table:
// the row of the highest slog level at most l's, the later of equal
// ones (critical to fatal, info to info), anything below debug to trace.
func zerologLevel(l dockerflow.Level) zerolog.Level {
	lv, to := l.SlogLevel(), zerolog.TraceLevel
	best := slog.Level(math.MinInt)
	for _, x := range levels {
		if x.slog <= lv && x.slog >= best {
			best, to = x.slog, x.zerolog
		}
	}
	return to
}

// contextHook adds the request ID and trace ID of an event's context
// (Event.Ctx) as "rid" and "trace_id".
type contextHook struct{}

func (contextHook) Run(e *zerolog.Event, _ zerolog.Level, _ string) {
	ctx := e.GetCtx()
	if rid := dockerflow.RequestID(ctx); rid != "" {
		e.Str("rid", rid)
	}
	if trace := dockerflow.TraceID(ctx); trace != "" {
		e.Str("trace_id", trace)
	}
}

// contextAttrs are the request ID and trace ID of ctx, as attributes.
func contextAttrs(ctx context.Context) []slog.Attr {
	var attrs []slog.Attr
	if rid := dockerflow.RequestID(ctx); rid != "" {
		attrs = append(attrs, slog.String("rid", rid))
	}
	if trace := dockerflow.TraceID(ctx); trace != "" {
		attrs = append(attrs, slog.String("trace_id", trace))
	}
	return attrs
}
