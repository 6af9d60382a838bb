package bench

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
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
	"github.com/go-chi/chi/v5/middleware"
	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"github.com/sirupsen/logrus"
	"go.mozilla.org/mozlogrus"
)

var empty = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// request is what every middleware benchmark serves.
func request() *http.Request {
	req := httptest.NewRequest("GET", "/users/42", nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
	req.Header.Set("Accept-Language", "en-US,en;q=0.5")
	return req
}

// dockerflowService logs mozlog to io.Discard, as the default logger does to stdout.
func dockerflowService(b *testing.B) *dockerflow.Service {
	svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	return svc
}

// statusRecorder is the minimal status-capturing writer a hand-written
// middleware needs.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

// mozlogrusMiddleware is the request.summary middleware a service on
// mozlogrus writes by hand today.
func mozlogrusMiddleware(next http.Handler) http.Handler {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(&mozlogrus.MozLogFormatter{LoggerName: "svc", Type: "request.summary"})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		errno := 0
		if rec.status >= 400 {
			errno = rec.status
		}
		l.WithFields(logrus.Fields{
			"agent": r.UserAgent(), "lang": r.Header.Get("Accept-Language"), "method": r.Method, "path": r.URL.Path,
			"code": rec.status, "errno": errno, "t": time.Since(start).Milliseconds(), "rid": r.Header.Get("X-Request-ID"), "uid": "",
		}).Info("")
	})
}

// BenchmarkSummary: one request through each framework with the
// request.summary middleware and the mozlog formatter, against the
// framework's own request logger and against mozlogrus behind a
// hand-written middleware, all writing to io.Discard.
func BenchmarkSummary(b *testing.B) {
	b.Run("nethttp/mozlogrus-handwritten", func(b *testing.B) {
		mux := http.NewServeMux()
		mux.Handle("GET /users/{id}", empty)
		serveBenchmark(b, mozlogrusMiddleware(mux), request())
	})
	b.Run("nethttp/dockerflow", func(b *testing.B) {
		mux := http.NewServeMux()
		mux.Handle("GET /users/{id}", empty)
		serveBenchmark(b, dockerflowhttp.Middleware(dockerflowService(b))(mux), request())
	})
	chiWith := func(mw func(http.Handler) http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Use(mw)
		r.Get("/users/{id}", empty)
		return r
	}
	b.Run("chi/middleware.Logger", func(b *testing.B) {
		serveBenchmark(b, chiWith(middleware.RequestLogger(&middleware.DefaultLogFormatter{
			Logger: log.New(io.Discard, "", log.LstdFlags), NoColor: true})), request())
	})
	b.Run("chi/mozlogrus-handwritten", func(b *testing.B) {
		serveBenchmark(b, chiWith(mozlogrusMiddleware), request())
	})
	b.Run("chi/dockerflow", func(b *testing.B) {
		serveBenchmark(b, chiWith(dockerflowchi.Middleware(dockerflowService(b))), request())
	})
	echoWith := func(mw echo.MiddlewareFunc) http.Handler {
		e := echo.New()
		e.Use(mw)
		e.GET("/users/:id", func(echo.Context) error { return nil })
		return e
	}
	b.Run("echo/middleware.Logger-json", func(b *testing.B) {
		serveBenchmark(b, echoWith(echomw.LoggerWithConfig(echomw.LoggerConfig{Output: io.Discard})), request())
	})
	b.Run("echo/mozlogrus-handwritten", func(b *testing.B) {
		serveBenchmark(b, echoWith(echo.WrapMiddleware(mozlogrusMiddleware)), request())
	})
	b.Run("echo/dockerflow", func(b *testing.B) {
		serveBenchmark(b, echoWith(dockerflowecho.Middleware(dockerflowService(b))), request())
	})
	ginWith := func(mw gin.HandlerFunc) http.Handler {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		r.Use(mw)
		r.GET("/users/:id", func(*gin.Context) {})
		return r
	}
	b.Run("gin/gin.Logger", func(b *testing.B) {
		serveBenchmark(b, ginWith(gin.LoggerWithWriter(io.Discard)), request())
	})
	b.Run("gin/mozlogrus-handwritten", func(b *testing.B) {
		h := mozlogrusMiddleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		serveBenchmark(b, ginWith(func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request); c.Next() }), request())
	})
	b.Run("gin/dockerflow", func(b *testing.B) {
		serveBenchmark(b, ginWith(dockerflowgin.Middleware(dockerflowService(b))), request())
	})
}

// BenchmarkHeartbeatLatency: N checks of 20ms each. python-dockerflow runs
// them one after another (N×20ms); dockerflow runs them concurrently.
func BenchmarkHeartbeatLatency(b *testing.B) {
	const each = 20 * time.Millisecond
	for _, n := range []int{1, 10, 50} {
		checks := make([]dockerflow.Check, n)
		for i := range checks {
			checks[i] = dockerflow.Check{Name: "c" + string(rune('A'+i/26)) + string(rune('a'+i%26)), Func: slowCheck(each)}
		}
		b.Run("N="+itoa(n)+"/sequential", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, c := range checks {
					c.Func(context.Background())
				}
			}
		})
		b.Run("N="+itoa(n)+"/dockerflow", func(b *testing.B) {
			svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: nopLogger{}})
			_ = svc.Register(checks...)
			h := dockerflowhttp.Handler(svc, nil)
			req := httptest.NewRequest("GET", "/__heartbeat__", nil)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
