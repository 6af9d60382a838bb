package mozlog

import (
	"log/slog"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
)

// SlogSeverity is the syslog severity of a slog level: error+12 and above
// (emergency) 0, error+8 (alert) 1, error+4 (critical) 2, error 3, warn
// 4, info 6, anything lower 7; in-between levels round down.
func SlogSeverity(l slog.Level) int {
	if l >= slog.LevelInfo && l < slog.LevelWarn { // most lines: at once
		return 6
	}
	for sev, s := range encode.Severities {
		if l >= s.Slog {
			return sev
		}
	}
	return 7
}
