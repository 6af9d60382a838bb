package logformat

import (
	"io"
	"log/slog"
	"strconv"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/sirupsen/logrus"
)

// Formatter is a logrus.Formatter that writes mozlog: one JSON object per
// line with Timestamp, Type, Logger, Hostname, EnvVersion, Severity, Pid
// and Fields. The zero value works.
//
// Fields holds the entry's fields and its message as "msg" (left out when
// empty or when it looks like a JSON object). error values are written as
// their text; values JSON cannot hold as their %v text; objects nested in
// an object as their JSON text, so Fields stays shallow. A line is never
// lost, split or half written, whatever the fields hold. The request ID of
// an entry logged with a request's context (logger.WithContext) is added
// as "rid".
type Formatter struct {
	// Logger is the mozlog Logger, the application's name; by default the
	// executable's name.
	Logger string
	// Type is the Type of entries that set none with mozlog.TypeKey; "app.log" by
	// default.
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
}

var _ logrus.Formatter = (*Formatter)(nil)

// New returns a *logrus.Logger that writes mozlog lines to w, formatted by
// f (nil means a zero Formatter), at logrus's info level: the one call a
// service needs.
//
//	log := logformat.New(os.Stdout, &logformat.Formatter{Logger: "myservice"})
//	svc, err := dockerflow.New(dockerflow.Config{Logger: logformat.NewLogger(log)})
func New(w io.Writer, f *Formatter) *logrus.Logger {
	if f == nil {
		f = &Formatter{}
	}
	l := logrus.New()
	l.SetOutput(w)
	l.SetFormatter(f)
	return l
}

// header returns the line's header for an entry at time t.
func (f *Formatter) header(t time.Time, typ string, severity int) mozlog.Header {
	h := mozlog.Header{Type: typ, Logger: f.Logger, Hostname: f.Hostname, EnvVersion: f.EnvVersion, Severity: severity, Pid: f.Pid,
		CloudSeverity: f.CloudSeverity, Text: f.Text}
	if h.Type == "" {
		h.Type = f.Type
	}
	h.FillDefaults()
	if f.Now != nil {
		t = f.Now()
	}
	if !t.IsZero() {
		h.Timestamp = t.UnixNano()
	}
	return h
}

// LogrusSeverity is the syslog severity of a logrus level: panic 1, fatal
// 2, error 3, warn 4, info 6, debug and trace 7.
func LogrusSeverity(l logrus.Level) int {
	switch l {
	case logrus.PanicLevel:
		return 1
	case logrus.FatalLevel:
		return 2
	case logrus.ErrorLevel:
		return 3
	case logrus.WarnLevel:
		return 4
	case logrus.InfoLevel:
		return 6
	}
	return 7
}

// Format implements logrus.Formatter.
func (f *Formatter) Format(entry *logrus.Entry) ([]byte, error) {
	var buf [16]slog.Attr
	fields := buf[:0]
	typ := ""
	for k, v := range entry.Data {
		if k == mozlog.TypeKey {
			if s, ok := v.(string); ok {
				typ = s
				continue
			}
		}
		fields = append(fields, slog.Attr{Key: k, Value: slog.AnyValue(v)})
	}
	if entry.Context != nil {
		if _, ok := entry.Data["rid"]; !ok {
			if rid := dockerflow.RequestID(entry.Context); rid != "" {
				fields = append(fields, slog.Attr{Key: "rid", Value: slog.StringValue(rid)})
			}
		}
		if _, ok := entry.Data["trace_id"]; !ok {
			if trace := adapter.TraceID(entry.Context); trace != "" {
				fields = append(fields, slog.Attr{Key: "trace_id", Value: slog.StringValue(trace)})
			}
		}
	}
	if entry.HasCaller() {
		fields = append(fields,
			slog.Attr{Key: "func", Value: slog.StringValue(entry.Caller.Function)},
			slog.Attr{Key: "file", Value: slog.StringValue(entry.Caller.File + ":" + strconv.Itoa(entry.Caller.Line))})
	}
	h := f.header(entry.Time, typ, LogrusSeverity(entry.Level))
	if entry.Buffer == nil {
		return mozlog.AppendLine(nil, &h, entry.Message, fields), nil
	}
	entry.Buffer.Write(mozlog.AppendLine(entry.Buffer.AvailableBuffer(), &h, entry.Message, fields))
	return entry.Buffer.Bytes(), nil
}
