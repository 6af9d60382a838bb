package mozlogzap

import (
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"go.uber.org/zap/zapcore"
)

// Each dockerflow level maps to its zap namesake (critical to dpanic:
// never fatal, which exits), numbers between them round down.
func TestZapLevel(t *testing.T) {
	for l, want := range map[dockerflow.Level]zapcore.Level{
		dockerflow.LevelOK: zapcore.DebugLevel, dockerflow.LevelDebug: zapcore.DebugLevel, dockerflow.LevelInfo: zapcore.InfoLevel,
		25: zapcore.InfoLevel, dockerflow.LevelWarning: zapcore.WarnLevel, dockerflow.LevelError: zapcore.ErrorLevel,
		dockerflow.LevelCritical: zapcore.DPanicLevel, 99: zapcore.DPanicLevel,
	} {
		if got := zapLevel(l); got != want {
			t.Errorf("zapLevel(%d) = %v, want %v", l, got, want)
		}
	}
}
