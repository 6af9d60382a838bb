package logformat

import (
	"io"
	"log/slog"
	"reflect"
	"strconv"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/sirupsen/logrus"
)

// Formatter is a logrus.Formatter that writes mozlog: one JSON object per
// line with Timestamp, Type, Logger, Hostname, EnvVersion, Severity, Pid
// and Fields. The zero value works. Its fields are mozlog.Options', the
// options of every mozlog front end (Logger, Type, Text,
// CloudSeverity...); Level is not used: a logrus logger filters with its
// own level.
//
// Fields holds the entry's fields and its message as "msg" (a message that
// is a JSON object is kept, and its keys join the fields). error values
// are written as their text; values JSON cannot hold as their %v text;
// objects nested in an object as their JSON text, so Fields stays
// shallow. A line is never lost, split or half written, whatever the
// fields hold. The request ID and trace ID of an entry logged with a
// request's context (logger.WithContext) are added as "rid" and
// "trace_id".
type Formatter mozlog.Options

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
	if e := fieldErrors(entry); e != "" {
		// logrus drops a field it cannot take (a func) before any
		// formatter sees it, and says so only to its own formatters.
		fields = append(fields, slog.String(logrusErrorKey, e))
	}
	if entry.HasCaller() {
		fields = append(fields,
			slog.Attr{Key: "func", Value: slog.StringValue(entry.Caller.Function)},
			slog.Attr{Key: "file", Value: slog.StringValue(entry.Caller.File + ":" + strconv.Itoa(entry.Caller.Line))})
	}
	o, lv := (*mozlog.Options)(f), slogLevel(entry.Level)
	if entry.Buffer == nil {
		return o.AppendEntry(nil, entry.Context, entry.Time, typ, lv, entry.Message, fields), nil
	}
	entry.Buffer.Write(o.AppendEntry(entry.Buffer.AvailableBuffer(), entry.Context, entry.Time, typ, lv, entry.Message, fields))
	return entry.Buffer.Bytes(), nil
}

// logrusErrorKey is the field logrus's own formatters write a dropped
// field's error to (logrus.FieldKeyLogrusError).
const logrusErrorKey = "logrus_error"

// entryErr is the index of logrus.Entry's unexported err field, where
// WithField records the fields it dropped ("can not add field \"f\""),
// or nil when this version of logrus has none.
var entryErr = func() []int {
	f, ok := reflect.TypeOf(logrus.Entry{}).FieldByName("err")
	if !ok || f.Type.Kind() != reflect.String {
		return nil
	}
	return f.Index
}()

// fieldErrors returns what logrus said of the fields it dropped from
// entry, "" for none: a formatter never loses a field without a word.
func fieldErrors(entry *logrus.Entry) string {
	if entryErr == nil {
		return ""
	}
	return reflect.ValueOf(entry).Elem().FieldByIndex(entryErr).String()
}
