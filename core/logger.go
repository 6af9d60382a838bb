package dockerflow

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Logger receives everything dockerflow logs: one [Summary] per request,
// and the [Event]s of the endpoints (check messages, a malformed
// version.json, calls of /__error__).
//
// MozlogLogger, the default, writes mozlog lines; SlogLogger writes through
// log/slog; the logformat modules add logrus, zap and zerolog. An
// implementation for another library maps levels from Level.SlogLevel
// and fields from Summary.AppendAttrs, as those do. Implementations must
// be safe for concurrent use and must not keep the *Summary after
// LogSummary returns.
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

// MozlogLogger is a Logger that writes mozlog lines (see package mozlog)
// straight to Out, without going through a logging library: the fastest
// way to log request summaries, and the default Logger, on standard
// output. The zero value works; use it through a pointer. For log/slog,
// see SlogLogger and mozlog.NewHandler; for logrus, the logformat module.
type MozlogLogger struct {
	// Out receives the lines; nil means os.Stdout.
	Out io.Writer
	// Options are the envelope's, as every mozlog front end has them: the
	// application's name (Logger), the text format, Cloud Logging's
	// severity... Options.Type and Options.Level apply to events only: a
	// summary is always written, as request.summary. A fixed clock
	// (Options.Now) has no durations either: each summary's t is 0, so
	// that the output is reproducible.
	mozlog.Options

	mu        sync.Mutex       // one line at a time on Out
	envelopes encode.Envelopes // the summaries' envelope, encoded once
}

var _ Logger = (*MozlogLogger)(nil)

// LogSummary implements Logger.
func (l *MozlogLogger) LogSummary(ctx context.Context, s *Summary) {
	if l.Now != nil {
		fixed := *s
		fixed.Duration = 0
		s = &fixed
	}
	if l.writeSummary(s) {
		return
	}
	var buf [24]slog.Attr // every field a summary can have, and 8 added
	// The summary has its rid and trace_id: no context to enrich from.
	l.write(context.Background(), s.End, mozlog.TypeSummary, s.Level.SlogLevel(), s.Msg, s.AppendAttrs(buf[:0]))
}

// LogEvent implements Logger. The request ID and trace ID in ctx, if any,
// are added as "rid" and "trace_id".
func (l *MozlogLogger) LogEvent(ctx context.Context, e Event) {
	lv := e.Level.SlogLevel()
	if min := slog.LevelInfo; l.Level != nil && lv < l.Level.Level() || l.Level == nil && lv < min {
		return
	}
	var buf [10]slog.Attr
	l.write(ctx, time.Time{}, e.Type, lv, e.Msg, append(buf[:0], e.Attrs...))
}

// write writes one entry's line to l's output, in one Write.
func (l *MozlogLogger) write(ctx context.Context, at time.Time, typ string, level slog.Level, msg string, fields []slog.Attr) {
	bp := encode.Buffer()
	line := l.Options.AppendEntry(*bp, ctx, at, typ, level, msg, fields)
	l.mu.Lock()
	_, _ = l.out().Write(line)
	l.mu.Unlock()
	encode.Release(bp, line)
}

func (l *MozlogLogger) out() io.Writer {
	if l.Out == nil {
		return os.Stdout
	}
	return l.Out
}

// SlogLogger returns a Logger that writes through l, with each entry's
// mozlog Type as the attribute mozlog.TypeKey, which mozlog's Handler
// turns back into the Type; nil means the default MozlogLogger. For mozlog
// lines through log/slog, l's handler is a mozlog.NewHandler.
func SlogLogger(l *slog.Logger) Logger {
	if l == nil {
		return &MozlogLogger{}
	}
	return slogLogger{L: l}
}

type slogLogger struct {
	L *slog.Logger
}

// LogSummary implements Logger. A summary is written whatever the level
// the handler is enabled at (python-dockerflow keeps request.summary as a
// logger of its own): it goes to the handler's Handle directly.
func (l slogLogger) LogSummary(ctx context.Context, s *Summary) {
	var buf [24]slog.Attr
	attrs := append(buf[:0], slog.String(mozlog.TypeKey, mozlog.TypeSummary))
	attrs = s.AppendAttrs(attrs)
	r := slog.NewRecord(s.End, s.Level.SlogLevel(), s.Msg, 0)
	r.AddAttrs(attrs...)
	_ = l.L.Handler().Handle(ctx, r)
}

// LogEvent implements Logger.
func (l slogLogger) LogEvent(ctx context.Context, e Event) {
	attrs := append([]slog.Attr{slog.String(mozlog.TypeKey, e.Type)}, e.Attrs...)
	l.L.LogAttrs(ctx, e.Level.SlogLevel(), e.Msg, attrs...)
}

// logOptions reports the options of the mozlog envelope l writes with;
// ok is false for a Logger that does not say. A Logger of another module
// says with a method LogOptions() (mozlog.Options, bool), as logformat's
// does: New compares them with the environment's log settings.
func logOptions(l Logger) (opts mozlog.Options, ok bool) {
	switch l := l.(type) {
	case *MozlogLogger:
		return l.Options, true
	case slogLogger:
		if h, ok := l.L.Handler().(interface{ Options() mozlog.Options }); ok {
			return h.Options(), true
		}
	case interface{ LogOptions() (mozlog.Options, bool) }:
		return l.LogOptions()
	}
	return mozlog.Options{}, false
}

// checkLogSettings reports an error, naming the variables, when the
// environment asked for the text format or Cloud Logging's severity
// (DOCKERFLOW_LOG_FORMAT, DOCKERFLOW_LOG_CLOUD_SEVERITY) and the Logger
// set in code writes otherwise: settings accepted without effect would
// hide the mistake. New never changes the Logger it is given.
func (c *Config) checkLogSettings() error {
	env := c.logEnv
	if env == nil || !env.Text && !env.CloudSeverity {
		return nil
	}
	opts, known := logOptions(c.Logger)
	if known && opts.Text == env.Text && opts.CloudSeverity == env.CloudSeverity {
		return nil
	}
	return fmt.Errorf("config: DOCKERFLOW_LOG_FORMAT and DOCKERFLOW_LOG_CLOUD_SEVERITY ask for text %v and Cloud severity %v, which the Logger set in code (%T) does not write: give its front end the environment's options (mozlog.OptionsFromEnv), or unset the variables",
		env.Text, env.CloudSeverity, c.Logger)
}
