package dockerflowecho_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	dockerflowecho "github.com/dockerflow-go/dockerflow/adapters/echo"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func emptyHandler(echo.Context) error { return nil }

// BenchmarkLBHeartbeat: /__lbheartbeat__ registered by the adapter vs an
// empty handler on the same echo route.
func BenchmarkLBHeartbeat(b *testing.B) {
	req := httptest.NewRequest("GET", "/__lbheartbeat__", nil)
	b.Run("echo-empty-handler", func(b *testing.B) {
		e := echo.New()
		e.GET("/__lbheartbeat__", emptyHandler)
		dockerflowtest.ServeBenchmark(b, e, req)
	})
	b.Run("echo-cache-control-handler", func(b *testing.B) {
		e := echo.New()
		e.GET("/__lbheartbeat__", func(c echo.Context) error { c.Response().Header().Set("Cache-Control", "no-store"); return nil })
		dockerflowtest.ServeBenchmark(b, e, req)
	})
	b.Run("dockerflowecho", func(b *testing.B) {
		e := echo.New()
		svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: dockerflowtest.NopLogger{}})
		dockerflowecho.Register(e, svc)
		dockerflowtest.ServeBenchmark(b, e, req)
	})
}

// BenchmarkRequestLogger: the summary middleware (mozlog, the default)
// vs echo's middleware.Logger and RequestLoggerWithConfig (slog JSON), all
// writing to io.Discard, around an empty handler.
func BenchmarkRequestLogger(b *testing.B) {
	req := httptest.NewRequest("GET", "/users/42", nil)
	req.Header.Set("User-Agent", "bench/1.0")
	discard := slog.New(slog.NewJSONHandler(io.Discard, nil))
	for name, mw := range map[string]func(b *testing.B) echo.MiddlewareFunc{
		"echo-middleware.Logger": func(*testing.B) echo.MiddlewareFunc {
			return middleware.LoggerWithConfig(middleware.LoggerConfig{Output: io.Discard})
		},
		"echo-RequestLogger-slog": func(*testing.B) echo.MiddlewareFunc {
			return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
				LogStatus: true, LogURI: true, LogMethod: true, LogUserAgent: true, LogLatency: true, LogRequestID: true,
				LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
					discard.LogAttrs(c.Request().Context(), slog.LevelInfo, "", slog.String("method", v.Method), slog.String("uri", v.URI),
						slog.Int("status", v.Status), slog.String("agent", v.UserAgent), slog.Duration("t", v.Latency), slog.String("rid", v.RequestID))
					return nil
				},
			})
		},
		"dockerflowecho.Middleware": func(b *testing.B) echo.MiddlewareFunc {
			svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
			return dockerflowecho.Middleware(svc)
		},
	} {
		b.Run(name, func(b *testing.B) {
			e := echo.New()
			e.Use(mw(b))
			e.GET("/users/:id", emptyHandler)
			dockerflowtest.ServeBenchmark(b, e, req)
		})
	}
}
