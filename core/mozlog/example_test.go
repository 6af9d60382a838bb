package mozlog_test

import (
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// A *slog.Logger that writes mozlog, and the standard log package
// through it.
func ExampleNewHandler() {
	logger := slog.New(mozlog.NewHandler(os.Stdout, &mozlog.Options{Logger: "myservice",
		// Fixed here so the output is reproducible; leave them unset.
		Hostname: "web-1", Pid: 7, Now: func() time.Time { return time.Unix(1795514400, 0) }}))
	logger.Info("listening", "addr", ":8000")

	// slog.SetDefault sends the log package's output through it too.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(logger)
	log.Printf("cache warmed in %dms", 42)
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"app.log","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"addr":":8000","msg":"listening"}}
	// {"Timestamp":1795514400000000000,"Type":"app.log","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"msg":"cache warmed in 42ms"}}
}
