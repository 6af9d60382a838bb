package mozlogzerolog_test

import (
	"context"
	"os"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	mozlogzerolog "github.com/dockerflow-go/dockerflow/logformat/zerolog"
	"github.com/rs/zerolog"
)

// A zerolog logger writing mozlog, made the logger of a Service: its
// lines, the summaries and dockerflow's events share one stream.
func Example() {
	opts := &mozlog.Options{Logger: "myservice", Hostname: "web-1", Pid: 7, Now: func() time.Time { return time.Unix(1795514400, 0) }}
	log := mozlogzerolog.New(os.Stdout, opts).Level(zerolog.InfoLevel)
	svc, err := dockerflow.New(dockerflow.Config{Logger: mozlogzerolog.NewLogger(log)})
	if err != nil {
		panic(err)
	}
	defer svc.Close()

	ctx := dockerflow.WithRequestID(context.Background(), "req-1") // a request's context, in a handler
	log.Info().Ctx(ctx).Str("plan", "pro").Msg("charging card")
	log.Warn().Str(mozlog.TypeKey, "myservice.db").Int("rows", 7).Msg("slow query")
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"app.log","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"msg":"charging card","plan":"pro","rid":"req-1"}}
	// {"Timestamp":1795514400000000000,"Type":"myservice.db","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":4,"Pid":7,"Fields":{"msg":"slow query","rows":7}}
}
