package dockerflowgin_test

import (
	"io"
	"net/http/httptest"
	"testing"

	dockerflowgin "github.com/dockerflow-go/dockerflow/adapters/gin"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/gin-gonic/gin"
)

func emptyHandler(*gin.Context) {}

func newEngine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	return gin.New()
}

// BenchmarkLBHeartbeat: /__lbheartbeat__ registered by the adapter vs an
// empty handler on the same gin route.
func BenchmarkLBHeartbeat(b *testing.B) {
	req := httptest.NewRequest("GET", "/__lbheartbeat__", nil)
	b.Run("gin-empty-handler", func(b *testing.B) {
		r := newEngine()
		r.GET("/__lbheartbeat__", emptyHandler)
		dockerflowtest.ServeBenchmark(b, r, req)
	})
	b.Run("gin-cache-control-handler", func(b *testing.B) {
		r := newEngine()
		r.GET("/__lbheartbeat__", func(c *gin.Context) { c.Header("Cache-Control", "no-store") })
		dockerflowtest.ServeBenchmark(b, r, req)
	})
	b.Run("dockerflowgin", func(b *testing.B) {
		r := newEngine()
		svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: dockerflowtest.NopLogger{}})
		dockerflowgin.Register(r, svc)
		dockerflowtest.ServeBenchmark(b, r, req)
	})
}

// BenchmarkRequestLogger: the summary middleware (mozlog, the default)
// vs gin.Logger, both writing to io.Discard, around an empty handler.
func BenchmarkRequestLogger(b *testing.B) {
	req := httptest.NewRequest("GET", "/users/42", nil)
	req.Header.Set("User-Agent", "bench/1.0")
	for name, mw := range map[string]func(b *testing.B) gin.HandlerFunc{
		"gin.Logger": func(*testing.B) gin.HandlerFunc {
			return gin.LoggerWithWriter(io.Discard)
		},
		"dockerflowgin.Middleware": func(b *testing.B) gin.HandlerFunc {
			svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
			return dockerflowgin.Middleware(svc)
		},
	} {
		b.Run(name, func(b *testing.B) {
			r := newEngine()
			r.Use(mw(b))
			r.GET("/users/:id", emptyHandler)
			dockerflowtest.ServeBenchmark(b, r, req)
		})
	}
}
