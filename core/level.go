package dockerflow

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

// Debug returns a debug-level message.
func Debug(id, text string) Message { return Message{ID: id, Level: LevelDebug, Text: text} }

// Info returns an info-level message.
func Info(id, text string) Message { return Message{ID: id, Level: LevelInfo, Text: text} }

// Warning returns a warning-level message. A warning alone does not fail
// the heartbeat.
func Warning(id, text string) Message { return Message{ID: id, Level: LevelWarning, Text: text} }

// Error returns an error-level message, which fails the heartbeat.
func Error(id, text string) Message { return Message{ID: id, Level: LevelError, Text: text} }

// Critical returns a critical-level message, which fails the heartbeat.
func Critical(id, text string) Message { return Message{ID: id, Level: LevelCritical, Text: text} }

// Message IDs that dockerflow itself produces when running checks. The
// built-in checks of the checks/ modules document their own IDs, which
// follow python-dockerflow's catalogue.
const (
	// IDCheckTimedOut: the check did not return within its timeout.
	IDCheckTimedOut = "dockerflow.health.E100"
	// IDCheckStillRunning: the check's previous run ignored its context and
	// has not returned yet, so it was not started again.
	IDCheckStillRunning = "dockerflow.health.E101"
	// IDTooManyMessages: the check returned more messages than are kept.
	IDTooManyMessages = "dockerflow.health.W100"
	// IDCheckPanicked: the check panicked.
	IDCheckPanicked = "dockerflow.health.C100"
)

// Message IDs of python-dockerflow's catalogue, used by the built-in checks
// (checks/sql, checks/redis).
const (
	IDCannotCheckMigrations = "dockerflow.health.I001"
	IDUnappliedMigration    = "dockerflow.health.W001"
	IDCannotConnectDatabase = "dockerflow.health.E001"
	IDDatabaseUnusable      = "dockerflow.health.E002"
	IDDatabaseMisconfigured = "dockerflow.health.E003"
	IDCannotConnectRedis    = "dockerflow.health.E004"
	IDRedisMisconfigured    = "dockerflow.health.E006"
	IDRedisPingFailed       = "dockerflow.health.E007"
	IDRedisError            = "dockerflow.health.E010"
)
