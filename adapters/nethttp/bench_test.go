package dockerflowhttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

// benchService is a service with checks that logs nothing.
func benchService(b *testing.B, cfg dockerflow.Config, checks ...dockerflow.Check) *dockerflow.Service {
	cfg.Logger = dockerflowtest.NopLogger{}
	svc, _ := dockerflowtest.NewService(b, cfg)
	if err := svc.Register(checks...); err != nil {
		b.Fatal(err)
	}
	return svc
}

func serve(b *testing.B, h http.Handler, path string) {
	dockerflowtest.ServeBenchmark(b, h, httptest.NewRequest("GET", path, nil))
}

// BenchmarkLBHeartbeat compares /__lbheartbeat__ through the adapter with
// an empty http.HandlerFunc, the cheapest handler net/http has.
func BenchmarkLBHeartbeat(b *testing.B) {
	b.Run("bare-empty-handler", func(b *testing.B) {
		serve(b, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "/__lbheartbeat__")
	})
	b.Run("cache-control-handler", func(b *testing.B) {
		serve(b, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Header().Set("Cache-Control", "no-store") }), "/__lbheartbeat__")
	})
	b.Run("dockerflow-handler", func(b *testing.B) {
		svc := benchService(b, dockerflow.Config{})
		serve(b, dockerflowhttp.Handler(svc, nil), "/__lbheartbeat__")
	})
}

// BenchmarkMiddleware is the cost of the request ID and summary around an
// empty handler, with a logger that writes nothing.
func BenchmarkMiddleware(b *testing.B) {
	empty := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	b.Run("bare-empty-handler", func(b *testing.B) { serve(b, empty, "/x") })
	b.Run("dockerflow-middleware", func(b *testing.B) {
		svc := benchService(b, dockerflow.Config{})
		serve(b, dockerflowhttp.Middleware(svc)(empty), "/x")
	})
}

// sleepCheck is a check named name that takes d and counts its calls.
func sleepCheck(name string, d time.Duration, calls *atomic.Int64) dockerflow.Check {
	slow := dockerflowtest.SlowCheck(d)
	return dockerflow.Check{Name: name, Func: func(ctx context.Context) []dockerflow.Message {
		calls.Add(1)
		return slow(ctx)
	}}
}

// BenchmarkConcurrentHeartbeats: each op is 200 concurrent heartbeat
// requests against a 10ms check that counts its calls. checkcalls/op shows
// the sharing: 200 without it, about 1 with it (more when requests straddle
// the end of a run).
func BenchmarkConcurrentHeartbeats(b *testing.B) {
	for _, tc := range []struct {
		name string
		cfg  dockerflow.Config
	}{
		{"coalescing", dockerflow.Config{}},
		{"cache-1s", dockerflow.Config{HeartbeatCacheTTL: time.Second}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var calls atomic.Int64
			svc := benchService(b, tc.cfg, sleepCheck("counted", 10*time.Millisecond, &calls))
			h := dockerflowhttp.Handler(svc, nil)
			const clients = 200
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var wg sync.WaitGroup
				for j := 0; j < clients; j++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, httptest.NewRequest("GET", "/__heartbeat__", nil))
						if rec.Code != 200 {
							b.Errorf("status %d", rec.Code)
						}
					}()
				}
				wg.Wait()
			}
			b.ReportMetric(float64(calls.Load())/float64(b.N), "checkcalls/op")
			b.ReportMetric(clients, "requests/op")
		})
	}
}
