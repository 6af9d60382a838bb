package encode

import "log/slog"

// Severities is the one table of levels: for each syslog severity (the
// index, mozlog's Severity), its name in Cloud Logging's "severity" and in
// the text format, and the lowest slog level that has it. Every front
// end's level reaches it through slog: dockerflow's levels, and
// logformat's table of logrus levels (SlogSeverity).
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

// SlogSeverity is the syslog severity of a slog level: error+12 and above
// (emergency) 0, error+8 (alert) 1, error+4 (critical) 2, error 3, warn
// 4, info 6, anything lower 7; in-between levels round down.
func SlogSeverity(l slog.Level) int {
	if l >= slog.LevelInfo && l < slog.LevelWarn { // most lines: at once
		return 6
	}
	for sev, s := range Severities {
		if l >= s.Slog {
			return sev
		}
	}
	return 7
}
