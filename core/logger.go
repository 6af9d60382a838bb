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
// log/slog; the logformat module adds logrus. Implementations must be safe for concurrent use and must
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

// typeKey carries an entry's Type as an attribute (slogLogger).
const typeKey = mozlog.TypeKey

// Types of the events dockerflow logs.
const (
	typeSummary   = "request.summary"
	typeHeartbeat = "dockerflow.heartbeat"
	typeVersion   = "dockerflow.version"
	typeError     = "dockerflow.error"
	typeConfig    = "dockerflow.config"
	typeObserver  = "dockerflow.observer"
)

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
	// summary is always written, as request.summary.
	mozlog.Options

	mu        sync.Mutex       // one line at a time on Out
	envelopes encode.Envelopes // the summaries' envelope, encoded once
}

var _ Logger = (*MozlogLogger)(nil)

// LogSummary implements Logger.
func (l *MozlogLogger) LogSummary(ctx context.Context, s *Summary) {
	if l.writeSummary(s) {
		return
	}
	var buf [16]slog.Attr // every field a summary can have, and room
	// The summary has its rid and trace_id: no context to enrich from.
	_ = l.Options.WriteEntry(l.out(), &l.mu, context.Background(), s.End, typeSummary, s.Level.SlogLevel(), s.Msg, s.AppendAttrs(buf[:0]))
}

// LogEvent implements Logger. The request ID and trace ID in ctx, if any,
// are added as "rid" and "trace_id".
func (l *MozlogLogger) LogEvent(ctx context.Context, e Event) {
	lv := e.Level.SlogLevel()
	if !l.Options.Enabled(lv) {
		return
	}
	var buf [10]slog.Attr
	_ = l.Options.WriteEntry(l.out(), &l.mu, ctx, time.Time{}, e.Type, lv, e.Msg, append(buf[:0], e.Attrs...))
}

func (l *MozlogLogger) out() io.Writer {
	if l.Out == nil {
		return os.Stdout
	}
	return l.Out
}

// SlogLevel is the log/slog level of l: debug, info, warning and error
// map to their slog namesakes, critical to slog.LevelError+4, anything
// below debug (LevelOK) to slog.LevelDebug-4 (a trace level); in-between
// numbers round down. For a Logger that writes through another library.
func (l Level) SlogLevel() slog.Level {
	switch {
	case l >= LevelCritical:
		return slog.LevelError + 4
	case l >= LevelError:
		return slog.LevelError
	case l >= LevelWarning:
		return slog.LevelWarn
	case l >= LevelInfo:
		return slog.LevelInfo
	case l >= LevelDebug:
		return slog.LevelDebug
	}
	return slog.LevelDebug - 4
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
	var buf [16]slog.Attr
	attrs := append(buf[:0], slog.String(typeKey, typeSummary))
	attrs = s.AppendAttrs(attrs)
	r := slog.NewRecord(s.End, s.Level.SlogLevel(), s.Msg, 0)
	r.AddAttrs(attrs...)
	_ = l.L.Handler().Handle(ctx, r)
}

// LogEvent implements Logger.
func (l slogLogger) LogEvent(ctx context.Context, e Event) {
	attrs := append([]slog.Attr{slog.String(typeKey, e.Type)}, e.Attrs...)
	l.L.LogAttrs(ctx, e.Level.SlogLevel(), e.Msg, attrs...)
}

// logSettings is what a Logger implements to take LogFormat and
// LogCloudSeverity from the Service (logformat's logrus Logger and
// mozlog's Handler do): it turns the text format and Cloud Logging's
// severity on, or says why it cannot.
type logSettings interface {
	ApplyLogSettings(text, cloudSeverity bool) error
}

// applyLogSettings hands LogFormat "text" and LogCloudSeverity, when set
// (in code or by DOCKERFLOW_LOG_FORMAT, DOCKERFLOW_LOG_CLOUD_SEVERITY), to
// a Logger set in code; one that cannot take them is an error naming the
// variables, rather than settings accepted without effect.
func applyLogSettings(l Logger, cfg Config) error {
	text := cfg.LogFormat == "text"
	if l == nil || !text && !cfg.LogCloudSeverity {
		return nil
	}
	err := fmt.Errorf("%T takes no log settings", l)
	switch l := l.(type) {
	case *MozlogLogger:
		l.Text = l.Text || text
		l.CloudSeverity = l.CloudSeverity || cfg.LogCloudSeverity
		err = nil
	case logSettings:
		err = l.ApplyLogSettings(text, cfg.LogCloudSeverity)
	}
	if err != nil {
		return fmt.Errorf("config: LogFormat %q and LogCloudSeverity %v (DOCKERFLOW_LOG_FORMAT, DOCKERFLOW_LOG_CLOUD_SEVERITY) cannot be applied to the Logger set in code: %w; set them on that logger's formatter, or leave them unset",
			cfg.LogFormat, cfg.LogCloudSeverity, err)
	}
	return nil
}

// ApplyLogSettings implements logSettings by handing the settings to the
// slog handler, which must take them (mozlog's Handler does).
func (l slogLogger) ApplyLogSettings(text, cloudSeverity bool) error {
	h := l.L.Handler()
	ls, ok := h.(logSettings)
	if !ok {
		return fmt.Errorf("the slog handler %T takes no log settings", h)
	}
	return ls.ApplyLogSettings(text, cloudSeverity)
}
