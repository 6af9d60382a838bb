package encode

import "log/slog"

// Severities is the one table of levels: for each syslog severity (the
// index, mozlog's Severity), its name in Cloud Logging's "severity" and in
// the text format, and the lowest slog level that has it. Every front
// end's level reaches it through slog: dockerflow.Level.SlogLevel, and
// logformat's table of logrus levels (mozlog.SlogSeverity).
var Severities = [8]struct {
	Cloud, Text string
	Slog        slog.Level
}{
	{"EMERGENCY", "EMERG", slog.LevelError + 12},
	{"ALERT", "ALERT", slog.LevelError + 8},
	{"CRITICAL", "CRIT", slog.LevelError + 4},
	{"ERROR", "ERROR", slog.LevelError},
	{"WARNING", "WARN", slog.LevelWarn},
	{"NOTICE", "NOTICE", slog.LevelWarn}, // no slog level has it: warn takes it first
	{"INFO", "INFO", slog.LevelInfo},
	{"DEBUG", "DEBUG", slog.LevelDebug - 1<<20},
}
