package mozlogzerolog

import (
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/rs/zerolog"
)

// Each dockerflow level maps to its zerolog namesake (critical to fatal,
// which zerolog's Logger exits at but a LevelWriter's write does not;
// below debug to trace), numbers between them round down.
func TestZerologLevel(t *testing.T) {
	for l, want := range map[dockerflow.Level]zerolog.Level{
		dockerflow.LevelOK: zerolog.TraceLevel, dockerflow.LevelDebug: zerolog.DebugLevel, dockerflow.LevelInfo: zerolog.InfoLevel,
		25: zerolog.InfoLevel, dockerflow.LevelWarning: zerolog.WarnLevel, dockerflow.LevelError: zerolog.ErrorLevel,
		dockerflow.LevelCritical: zerolog.FatalLevel, 99: zerolog.FatalLevel,
	} {
		if got := zerologLevel(l); got != want {
			t.Errorf("zerologLevel(%d) = %v, want %v", l, got, want)
		}
	}
}
