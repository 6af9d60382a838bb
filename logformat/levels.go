package logformat

import (
	"log/slog"
	"math"

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

// logrusLevel maps a dockerflow level to logrus through the table: the
// row of the highest slog level at most l's (critical to FatalLevel,
// syslog "critical": logging at it does not exit), anything below debug
// to TraceLevel.
func logrusLevel(l dockerflow.Level) logrus.Level {
	lv, to := l.SlogLevel(), logrus.TraceLevel
	best := slog.Level(math.MinInt)
	for _, x := range levels {
		if x.slog <= lv && x.slog >= best {
			best, to = x.slog, x.logrus
		}
	}
	return to
}
