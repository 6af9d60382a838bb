package dockerflow

import "log/slog"

// Level is the severity of a check message, with the numbers of Django's
// check framework (and of Python's logging levels).
type Level int

// The levels a check message can have. Any other number is valid but its
// text is "unknown".
const (
	LevelOK       Level = 0
	LevelDebug    Level = 10
	LevelInfo     Level = 20
	LevelWarning  Level = 30
	LevelError    Level = 40
	LevelCritical Level = 50
)

// String returns the status text of the level: "ok", "debug", "info",
// "warning", "error", "critical", or "unknown" for any other number.
func (l Level) String() string {
	switch l {
	case LevelOK:
		return "ok"
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarning:
		return "warning"
	case LevelError:
		return "error"
	case LevelCritical:
		return "critical"
	}
	return "unknown"
}

// SlogLevel is the log/slog level of l: debug, info, warning and error
// map to their slog namesakes, critical to slog.LevelError+4, anything
// below debug (LevelOK) to slog.LevelDebug-4 (a trace level); in-between
// numbers round down. For a Logger that writes through another library:
// the one mapping every front end (logrus, zap, zerolog) starts from.
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

// Failed reports whether a heartbeat at this level fails: error and above.
// Warnings pass.
func (l Level) Failed() bool { return l >= LevelError }

// Message is one finding of a check. ID names the condition, in the form
// "<namespace>.<letter><number>" (for example "dockerflow.health.E001");
// Text explains it to a person and must not hold secrets.
type Message struct {
	ID    string
	Level Level
	Text  string
}

// Warning returns a warning-level message. A warning alone does not fail
// the heartbeat.
func Warning(id, text string) Message { return Message{ID: id, Level: LevelWarning, Text: text} }

// Error returns an error-level message, which fails the heartbeat.
func Error(id, text string) Message { return Message{ID: id, Level: LevelError, Text: text} }

// Critical returns a critical-level message, which fails the heartbeat.
func Critical(id, text string) Message { return Message{ID: id, Level: LevelCritical, Text: text} }

// Message IDs that dockerflow itself produces when running checks (the
// package documentation lists them). The built-in checks of the checks/
// modules document their own IDs, which follow python-dockerflow's
// catalogue.
const (
	// idCheckTimedOut: the check did not return within its timeout.
	idCheckTimedOut = "dockerflow.health.E100"
	// idCheckStillRunning: the check's previous run ignored its context and
	// has not returned yet, so it was not started again.
	idCheckStillRunning = "dockerflow.health.E101"
	// idTooManyMessages: the check returned more messages than are kept.
	idTooManyMessages = "dockerflow.health.W100"
	// idCheckPanicked: the check panicked.
	idCheckPanicked = "dockerflow.health.C100"
)
