package bench

import (
	"errors"
	"io"
	"testing"
	"time"

	mozlogzap "github.com/dockerflow-go/dockerflow/logformat/zap"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

var errCard = errors.New("card declined")

// zapFields are a line's 10 fields, of the kinds a service logs.
var zapFields = []zap.Field{
	zap.String("user", "ann"), zap.Int("attempt", 3), zap.Error(errCard),
	zap.String("method", "GET"), zap.String("path", "/api/v1/users/42"), zap.Int("code", 200),
	zap.Duration("t", 12*time.Millisecond), zap.String("rid", "0f8fad5b-d9cb-469f-a165-70867728950e"),
	zap.Bool("cached", true), zap.Float64("ratio", 0.25),
}

// The mozlog core against zap's own JSON encoder (its production
// configuration), the same 10 fields and message, to io.Discard.
func BenchmarkZap(b *testing.B) {
	for name, core := range map[string]zapcore.Core{
		"mozlogzap": mozlogzap.NewCore(io.Discard, &mozlog.Options{Logger: "svc"}, zapcore.InfoLevel),
		"zap-json":  zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel),
	} {
		l := zap.New(core)
		b.Run("10-fields/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				l.Info("charge failed", zapFields...)
			}
		})
	}
}
