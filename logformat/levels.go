package logformat

import (
	"log/slog"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/sirupsen/logrus"
)

// levels is the one table between logrus and the other front ends: each
// logrus level and the slog level it stands for, from which mozlog's
// table gives the syslog severity (panic 1, fatal 2, error 3, warn 4,
// info 6, debug and trace 7).
var levels = [...]struct {
	logrus logrus.Level
	slog   slog.Level
}{
	{logrus.PanicLevel, slog.LevelError + 8},
	{logrus.FatalLevel, slog.LevelError + 4},
	{logrus.ErrorLevel, slog.LevelError},
	{logrus.WarnLevel, slog.LevelWarn},
	{logrus.InfoLevel, slog.LevelInfo},
	{logrus.DebugLevel, slog.LevelDebug},
	{logrus.TraceLevel, slog.LevelDebug - 4},
}

// slogLevel is the slog level of a logrus level (trace for unknown ones).
func slogLevel(l logrus.Level) slog.Level {
	for _, x := range levels {
		if x.logrus == l {
			return x.slog
		}
	}
	return slog.LevelDebug - 4
}

// logrusLevel maps a dockerflow level to logrus: critical to FatalLevel
// (syslog "critical"; logging at it does not exit), error, warning, info
// and debug to their namesakes, numbers between them rounding down, and
// anything below debug to TraceLevel.
func logrusLevel(l dockerflow.Level) logrus.Level {
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
