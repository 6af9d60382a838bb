package logformat

import (
	"context"
	"fmt"
	"log/slog"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/sirupsen/logrus"
)

// NewLogger returns a dockerflow.Logger that writes request.summary
// entries and dockerflow's events through l, whose formatter should be a
// *Formatter:
//
//	l := logrus.New()
//	l.SetOutput(os.Stdout)
//	l.SetFormatter(&logformat.Formatter{Logger: "myservice"})
//	svc, err := dockerflow.New(dockerflow.Config{Logger: logformat.NewLogger(l)})
//
// DOCKERFLOW_LOG_FORMAT=text and DOCKERFLOW_LOG_CLOUD_SEVERITY=true (or
// Config.LogFormat, LogCloudSeverity) reach the Formatter when New is
// called.
func NewLogger(l *logrus.Logger) dockerflow.Logger { return logrusLogger{l} }

type logrusLogger struct{ l *logrus.Logger }

// ApplyLogSettings turns on the text format and Cloud Logging's severity
// on l's Formatter, when dockerflow.New is given them (LogFormat,
// LogCloudSeverity, or their DOCKERFLOW_ variables): every entry of l
// then follows them, the application's own included. A formatter of
// another kind cannot, and New says so.
func (x logrusLogger) ApplyLogSettings(text, cloudSeverity bool) error {
	f, ok := x.l.Formatter.(*Formatter)
	if !ok {
		return fmt.Errorf("the logrus formatter is a %T, not a *logformat.Formatter", x.l.Formatter)
	}
	f.Text = f.Text || text
	f.CloudSeverity = f.CloudSeverity || cloudSeverity
	return nil
}

func (x logrusLogger) entry(ctx context.Context, typ string, attrs []slog.Attr) *logrus.Entry {
	data := make(logrus.Fields, len(attrs)+1)
	data[mozlog.TypeKey] = typ
	for _, a := range attrs {
		data[a.Key] = a.Value.Any()
	}
	return &logrus.Entry{Logger: x.l, Data: data, Context: ctx}
}

// LogSummary implements dockerflow.Logger. A summary is written whatever
// the logger's level (python-dockerflow keeps request.summary as a logger
// of its own): below it, the entry is formatted by the logger's formatter
// and written to its output directly, without its hooks. That output must
// then be safe for concurrent writes of whole lines, as os.Stdout is.
func (x logrusLogger) LogSummary(ctx context.Context, s *dockerflow.Summary) {
	var buf [16]slog.Attr
	lv := LogrusLevel(s.Level)
	e := x.entry(ctx, adapter.TypeSummary, s.AppendAttrs(buf[:0]))
	if x.l.IsLevelEnabled(lv) {
		e.Log(lv, s.Msg)
		return
	}
	e.Time, e.Level, e.Message = s.End, lv, s.Msg
	if line, err := x.l.Formatter.Format(e); err == nil {
		_, _ = x.l.Out.Write(line)
	}
}

// LogEvent implements dockerflow.Logger.
func (x logrusLogger) LogEvent(ctx context.Context, ev dockerflow.Event) {
	if lv := LogrusLevel(ev.Level); x.l.IsLevelEnabled(lv) {
		x.entry(ctx, ev.Type, ev.Attrs).Log(lv, ev.Msg)
	}
}
