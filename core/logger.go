package dockerflow

import (
	"context"
	"log/slog"
	"os"
)

// Logger receives everything dockerflow logs: one [Summary] per request,
// and the [Event]s of the endpoints (check messages, a malformed
// version.json, calls of /__error__).
//
// The logformat module implements it over logrus and log/slog, writing
// mozlog lines. Implementations must be safe for concurrent use and must
// not keep the *Summary after LogSummary returns.
type Logger interface {
	LogSummary(ctx context.Context, s *Summary)
	LogEvent(ctx context.Context, e Event)
}

// Event is one operational log entry of dockerflow itself.
type Event struct {
	// Type is the mozlog Type (python-dockerflow's logger name), such as
	// "dockerflow.heartbeat".
	Type string
	// Level is the severity, on the same scale as check messages.
	Level Level
	Msg   string
	Attrs []slog.Attr
}

// TypeKey is the attribute that carries an entry's mozlog Type, for
// loggers that write entries as attributes (SlogLogger, and logformat's
// handlers, which turn it back into the Type).
const TypeKey = "Type"

// Types of the events dockerflow logs.
const (
	TypeSummary   = "request.summary"
	TypeHeartbeat = "dockerflow.heartbeat"
	TypeVersion   = "dockerflow.version"
	TypeError     = "dockerflow.error"
)

// SlogLevel maps a dockerflow level to a log/slog level: debug, info,
// warning and error map to their slog namesakes, critical to
// slog.LevelError+4; in-between numbers round down.
func SlogLevel(l Level) slog.Level {
	switch {
	case l >= LevelCritical:
		return slog.LevelError + 4
	case l >= LevelError:
		return slog.LevelError
	case l >= LevelWarning:
		return slog.LevelWarn
	case l >= LevelInfo:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}

// SlogLogger is a Logger that writes through a *slog.Logger, with the
// entry's mozlog Type as the attribute TypeKey. It is the default Logger: a
// JSON handler on standard output. For mozlog output use the logformat
// module.
type SlogLogger struct {
	L *slog.Logger
}

var _ Logger = SlogLogger{}

// NewSlogLogger returns a Logger writing to l; nil means JSON lines on
// standard output.
func NewSlogLogger(l *slog.Logger) SlogLogger {
	if l == nil {
		l = slog.New(slog.NewJSONHandler(os.Stdout, nil))
	}
	return SlogLogger{L: l}
}

// LogSummary implements Logger.
func (l SlogLogger) LogSummary(ctx context.Context, s *Summary) {
	var buf [16]slog.Attr
	attrs := append(buf[:0], slog.String(TypeKey, TypeSummary))
	attrs = s.AppendAttrs(attrs)
	l.L.LogAttrs(ctx, SlogLevel(s.Level), s.Msg, attrs...)
}

// LogEvent implements Logger.
func (l SlogLogger) LogEvent(ctx context.Context, e Event) {
	attrs := append([]slog.Attr{slog.String(TypeKey, e.Type)}, e.Attrs...)
	l.L.LogAttrs(ctx, SlogLevel(e.Level), e.Msg, attrs...)
}
