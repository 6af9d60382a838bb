package logformat

import (
	"context"
	"log/slog"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
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
// The environment's log settings (DOCKERFLOW_LOG_FORMAT,
// DOCKERFLOW_LOG_CLOUD_SEVERITY) belong to the Formatter: build it from
// mozlog.OptionsFromEnv to follow them. dockerflow.New never changes l,
// and fails, naming the variables, when l's Formatter writes otherwise.
func NewLogger(l *logrus.Logger) dockerflow.Logger { return logrusLogger{l} }

type logrusLogger struct{ l *logrus.Logger }

// LogOptions reports the options of l's Formatter, when it is a
// *Formatter: dockerflow.New compares them with the environment's log
// settings, and names the variables when they differ.
func (x logrusLogger) LogOptions() (mozlog.Options, bool) {
	if f, ok := x.l.Formatter.(*Formatter); ok {
		return mozlog.Options(*f), true
	}
	return mozlog.Options{}, false
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
	lv := logrusLevel(s.Level)
	e := x.entry(ctx, mozlog.TypeSummary, s.AppendAttrs(buf[:0]))
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
	if lv := logrusLevel(ev.Level); x.l.IsLevelEnabled(lv) {
		x.entry(ctx, ev.Type, ev.Attrs).Log(lv, ev.Msg)
	}
}
