package mozlogzap

import (
	"context"
	"log/slog"
	"math"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// NewLogger returns a dockerflow.Logger that writes request.summary
// entries and dockerflow's events through l, whose core should be a
// NewCore. Summaries are written whatever l's level; events at their
// level (critical is zap's dpanic, written without panicking). On a core
// of another kind, the entries go to its Write with zap fields.
//
// The environment's log settings (DOCKERFLOW_LOG_FORMAT,
// DOCKERFLOW_LOG_CLOUD_SEVERITY) belong to the core's Options: build them
// with mozlog.OptionsFromEnv to follow them. dockerflow.New never changes
// l, and fails, naming the variables, when l's core writes otherwise.
func NewLogger(l *zap.Logger) dockerflow.Logger { return zapLogger{l} }

type zapLogger struct{ l *zap.Logger }

// LogOptions reports the options of l's core, when it is a NewCore:
// dockerflow.New compares them with the environment's log settings.
func (x zapLogger) LogOptions() (mozlog.Options, bool) {
	if c, ok := x.l.Core().(*core); ok {
		return c.opts, true
	}
	return mozlog.Options{}, false
}

// LogSummary implements dockerflow.Logger.
func (x zapLogger) LogSummary(ctx context.Context, s *dockerflow.Summary) {
	var buf [24]slog.Attr
	x.write(s.End, mozlog.TypeSummary, s.Level, s.Msg, s.AppendAttrs(buf[:0]))
}

// LogEvent implements dockerflow.Logger. The request ID and trace ID in
// ctx, if any, are added as "rid" and "trace_id".
func (x zapLogger) LogEvent(ctx context.Context, e dockerflow.Event) {
	if !x.l.Core().Enabled(zapLevel(e.Level)) {
		return
	}
	attrs := e.Attrs
	if ids := fromContext(ctx); ids != (contextIDs{}) {
		attrs = ids.appendTo(append([]slog.Attr(nil), e.Attrs...), "")
	}
	x.write(time.Now(), e.Type, e.Level, e.Msg, attrs)
}

// write writes one entry whatever the logger's level: straight to a
// NewCore, else as zap fields to the core's Write.
func (x zapLogger) write(at time.Time, typ string, level dockerflow.Level, msg string, attrs []slog.Attr) {
	zl := zapLevel(level)
	if c, ok := x.l.Core().(*core); ok {
		var buf [24]slog.Attr
		_ = c.write(at, typ, slogLevel(zl), msg, append(append(buf[:0], c.fields...), attrs...))
		return
	}
	fields := make([]zapcore.Field, 0, len(attrs)+1)
	fields = append(fields, zap.String(mozlog.TypeKey, typ))
	for _, a := range attrs {
		fields = append(fields, zap.Any(a.Key, a.Value.Any()))
	}
	_ = x.l.Core().Write(zapcore.Entry{Level: zl, Time: at, Message: msg}, fields)
}

// zapLevel maps a dockerflow level to zap's through the table: the row
// of the highest slog level at most l's, the later of equal ones
// (critical to dpanic, not fatal), anything below debug to debug.
func zapLevel(l dockerflow.Level) zapcore.Level {
	lv, to := l.SlogLevel(), zapcore.DebugLevel
	best := slog.Level(math.MinInt)
	for _, x := range levels {
		if x.slog <= lv && x.slog >= best {
			best, to = x.slog, x.zap
		}
	}
	return to
}
