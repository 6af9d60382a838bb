package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	dockerflowecho "github.com/dockerflow-go/dockerflow/adapters/echo"
	dockerflowgin "github.com/dockerflow-go/dockerflow/adapters/gin"
	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/labstack/echo/v4"
)

// quietService is a service that logs nothing, with checks.
func quietService(b *testing.B, cfg dockerflow.Config, checks ...dockerflow.Check) *dockerflow.Service {
	cfg.Logger = nopLogger{}
	svc, _ := dockerflowtest.NewService(b, cfg)
	if err := svc.Register(checks...); err != nil {
		b.Fatal(err)
	}
	return svc
}

func cacheControl(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
}

func newGin() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	return gin.New()
}

// BenchmarkLBHeartbeat compares /__lbheartbeat__ served by each adapter
// with the framework's cheapest handler on the same route, empty and
// setting Cache-Control (what the endpoint must send).
func BenchmarkLBHeartbeat(b *testing.B) {
	const path = "/__lbheartbeat__"
	req := httptest.NewRequest("GET", path, nil)
	for _, tc := range []struct {
		name string
		h    func(b *testing.B) http.Handler
	}{
		{"nethttp/bare-empty-handler", func(*testing.B) http.Handler { return empty }},
		{"nethttp/cache-control-handler", func(*testing.B) http.Handler { return http.HandlerFunc(cacheControl) }},
		{"nethttp/dockerflow-handler", func(b *testing.B) http.Handler {
			return dockerflowhttp.Handler(quietService(b, dockerflow.Config{}), nil)
		}},
		{"chi/chi-empty-handler", func(*testing.B) http.Handler { r := chi.NewRouter(); r.Get(path, empty); return r }},
		{"chi/chi-cache-control-handler", func(*testing.B) http.Handler { r := chi.NewRouter(); r.Get(path, cacheControl); return r }},
		{"chi/dockerflowchi", func(b *testing.B) http.Handler {
			r := chi.NewRouter()
			dockerflowchi.Register(r, quietService(b, dockerflow.Config{}))
			return r
		}},
		{"echo/echo-empty-handler", func(*testing.B) http.Handler {
			e := echo.New()
			e.GET(path, func(echo.Context) error { return nil })
			return e
		}},
		{"echo/echo-cache-control-handler", func(*testing.B) http.Handler {
			e := echo.New()
			e.GET(path, func(c echo.Context) error { c.Response().Header().Set("Cache-Control", "no-store"); return nil })
			return e
		}},
		{"echo/dockerflowecho", func(b *testing.B) http.Handler {
			e := echo.New()
			dockerflowecho.Register(e, quietService(b, dockerflow.Config{}))
			return e
		}},
		{"gin/gin-empty-handler", func(*testing.B) http.Handler { r := newGin(); r.GET(path, func(*gin.Context) {}); return r }},
		{"gin/gin-cache-control-handler", func(*testing.B) http.Handler {
			r := newGin()
			r.GET(path, func(c *gin.Context) { c.Header("Cache-Control", "no-store") })
			return r
		}},
		{"gin/dockerflowgin", func(b *testing.B) http.Handler {
			r := newGin()
			dockerflowgin.Register(r, quietService(b, dockerflow.Config{}))
			return r
		}},
	} {
		b.Run(tc.name, func(b *testing.B) { serveBenchmark(b, tc.h(b), req) })
	}
}

// countedCheck is a check named name that takes d and counts its calls.
func countedCheck(name string, d time.Duration, calls *atomic.Int64) dockerflow.Check {
	slow := slowCheck(d)
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
			h := dockerflowhttp.Handler(quietService(b, tc.cfg, countedCheck("counted", 10*time.Millisecond, &calls)), nil)
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
