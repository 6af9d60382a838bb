package dockerflowhttp_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

func ExampleWrap() {
	// Logs go to stdout as JSON; the logformat module writes mozlog instead.
	// (Time is dropped here so the output is stable.)
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "t" {
				return slog.Attr{}
			}
			return a
		},
	}))
	svc, err := dockerflow.New(dockerflow.Config{
		Logger:               dockerflow.NewSlogLogger(logger),
		HeartbeatShowDetails: true,
	})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "cache", Func: func(ctx context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Warning("acme.W001", "cache is cold")}
	}})

	app := http.NewServeMux()
	app.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	handler := dockerflowhttp.Recover(dockerflowhttp.Wrap(svc, app))
	// http.ListenAndServe(addr, handler) in a real service.

	req := httptest.NewRequest("GET", "/__heartbeat__", nil)
	req.Header.Set("X-Request-ID", "req-1")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body)
	// Output:
	// {"level":"WARN","msg":"cache is cold","Type":"dockerflow.heartbeat","check":"cache","id":"acme.W001"}
	// {"level":"INFO","msg":"","Type":"request.summary","agent":"","lang":"","method":"GET","path":"/__heartbeat__","code":200,"errno":0,"rid":"req-1","uid":""}
	// 200 {"status":"warning","checks":{"cache":"warning"},"details":{"cache":{"status":"warning","level":30,"messages":{"acme.W001":"cache is cold"}}}}
}
