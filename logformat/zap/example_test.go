package mozlogzap_test

import (
	"context"
	"os"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	mozlogzap "github.com/dockerflow-go/dockerflow/logformat/zap"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// A zap logger writing mozlog, made the logger of a Service: its lines,
// the summaries and dockerflow's events share one stream.
func Example() {
	opts := &mozlog.Options{Logger: "myservice", Hostname: "web-1", Pid: 7, Now: func() time.Time { return time.Unix(1795514400, 0) }}
	log := zap.New(mozlogzap.NewCore(os.Stdout, opts, zapcore.InfoLevel))
	svc, err := dockerflow.New(dockerflow.Config{Logger: mozlogzap.NewLogger(log)})
	if err != nil {
		panic(err)
	}
	defer svc.Close()

	ctx := dockerflow.WithRequestID(context.Background(), "req-1") // a request's context, in a handler
	log.Info("charging card", zap.String("plan", "pro"), mozlogzap.Context(ctx))
	log.Warn("slow query", zap.String(mozlog.TypeKey, "myservice.db"), zap.Duration("took", 1500*time.Millisecond))
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"app.log","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"msg":"charging card","plan":"pro","rid":"req-1"}}
	// {"Timestamp":1795514400000000000,"Type":"myservice.db","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":4,"Pid":7,"Fields":{"msg":"slow query","took":"1.5s"}}
}
