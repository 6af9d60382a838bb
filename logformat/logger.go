package logformat

import (
	"context"
	"log/slog"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
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
func NewLogger(l *logrus.Logger) dockerflow.Logger { return logrusLogger{l} }

type logrusLogger struct{ l *logrus.Logger }

// LogrusLevel maps a dockerflow level to logrus: critical to FatalLevel
// (syslog "critical"; logging at it does not exit), error, warning, info
// and debug to their namesakes, lower levels to TraceLevel.
func LogrusLevel(l dockerflow.Level) logrus.Level {
	switch {
	case l >= dockerflow.LevelCritical:
		return logrus.FatalLevel
	case l >= dockerflow.LevelError:
		return logrus.ErrorLevel
	case l >= dockerflow.LevelWarning:
		return logrus.WarnLevel
	case l >= dockerflow.LevelInfo:
		return logrus.InfoLevel
	case l >= dockerflow.LevelDebug:
		return logrus.DebugLevel
	}
	return logrus.TraceLevel
}

func (x logrusLogger) log(ctx context.Context, level dockerflow.Level, typ, msg string, attrs []slog.Attr) {
	lv := LogrusLevel(level)
	if !x.l.IsLevelEnabled(lv) {
		return
	}
	data := make(logrus.Fields, len(attrs)+1)
	data[TypeKey] = typ
	for _, a := range attrs {
		data[a.Key] = a.Value.Any()
	}
	(&logrus.Entry{Logger: x.l, Data: data, Context: ctx}).Log(lv, msg)
}

// LogSummary implements dockerflow.Logger.
func (x logrusLogger) LogSummary(ctx context.Context, s *dockerflow.Summary) {
	var buf [12]slog.Attr
	x.log(ctx, s.Level, dockerflow.TypeSummary, s.Msg, s.AppendAttrs(buf[:0]))
}

// LogEvent implements dockerflow.Logger.
func (x logrusLogger) LogEvent(ctx context.Context, e dockerflow.Event) {
	x.log(ctx, e.Level, e.Type, e.Msg, e.Attrs)
}
