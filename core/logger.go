package dockerflow

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

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
)

// MozlogLogger is a Logger that writes mozlog lines (see package mozlog)
// straight to Out, without going through a logging library: the fastest
// way to log request summaries, and the default Logger, on standard
// output. The zero value works; use it through a pointer. For logrus or
// log/slog, see the logformat module.
type MozlogLogger struct {
	// Out receives the lines; nil means os.Stdout.
	Out io.Writer
	// Name is the mozlog Logger, the application's name; by default the
	// executable's name.
	Name string
	// Hostname and Pid replace the machine's, read once per process.
	Hostname string
	Pid      int
	// Now, if set, replaces the clock (for reproducible output).
	Now func() time.Time
	// CloudSeverity adds Google Cloud Logging's "severity" ("ERROR"…)
	// beside mozlog's numeric Severity, which Cloud Logging ignores.
	CloudSeverity bool
	// Text writes one human line per entry instead of mozlog JSON, for a
	// developer's machine: time, severity, Type, message, then the fields
	// as key=value.
	Text bool

	mu sync.Mutex // one line at a time on Out
}

var _ Logger = (*MozlogLogger)(nil)

// LogSummary implements Logger.
func (l *MozlogLogger) LogSummary(ctx context.Context, s *Summary) {
	var buf [14]slog.Attr // every field a summary can have
	l.write(s.End, typeSummary, s.Level, s.Msg, s.appendAttrs(buf[:0]))
}

// LogEvent implements Logger. The request ID in ctx, if any, is added as
// "rid".
func (l *MozlogLogger) LogEvent(ctx context.Context, e Event) {
	var buf [8]slog.Attr
	attrs := append(buf[:0], e.Attrs...)
	if rid := RequestID(ctx); rid != "" {
		attrs = append(attrs, slog.String("rid", rid))
	}
	if trace := traceIDOf(ctx); trace != "" {
		attrs = append(attrs, slog.String("trace_id", trace))
	}
	l.write(time.Time{}, e.Type, e.Level, e.Msg, attrs)
}

// write logs one line at time at (now when zero).
func (l *MozlogLogger) write(at time.Time, typ string, level Level, msg string, attrs []slog.Attr) {
	switch {
	case l.Now != nil:
		at = l.Now()
	case at.IsZero():
		at = time.Now()
	}
	h := mozlog.Header{Timestamp: at.UnixNano(), Type: typ, Logger: l.Name, Hostname: l.Hostname, CloudSeverity: l.CloudSeverity, Text: l.Text,
		Severity: mozlog.SlogSeverity(slogLevel(level)), Pid: l.Pid}
	h.FillDefaults()
	out := l.Out
	if out == nil {
		out = os.Stdout
	}
	_ = mozlog.WriteLine(out, &l.mu, &h, msg, attrs)
}

// slogLevel maps a dockerflow level to a log/slog level: debug, info,
// warning and error map to their slog namesakes, critical to
// slog.LevelError+4; in-between numbers round down.
func slogLevel(l Level) slog.Level {
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

// SlogLogger returns a Logger that writes through l, with each entry's
// mozlog Type as the attribute "Type" (logformat's slog handler turns it
// back into the Type); nil means the default MozlogLogger.
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
	attrs = s.appendAttrs(attrs)
	r := slog.NewRecord(s.End, slogLevel(s.Level), s.Msg, 0)
	r.AddAttrs(attrs...)
	_ = l.L.Handler().Handle(ctx, r)
}

// LogEvent implements Logger.
func (l slogLogger) LogEvent(ctx context.Context, e Event) {
	attrs := append([]slog.Attr{slog.String(typeKey, e.Type)}, e.Attrs...)
	l.L.LogAttrs(ctx, slogLevel(e.Level), e.Msg, attrs...)
}

// logSettings is what a Logger implements to take LogFormat and
// LogCloudSeverity from the Service (logformat's logrus Logger and
// slogformat's Handler do): it turns the text format and Cloud Logging's
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
// slog handler, which must take them (slogformat's Handler does).
func (l slogLogger) ApplyLogSettings(text, cloudSeverity bool) error {
	h := l.L.Handler()
	ls, ok := h.(logSettings)
	if !ok {
		return fmt.Errorf("the slog handler %T takes no log settings", h)
	}
	return ls.ApplyLogSettings(text, cloudSeverity)
}
