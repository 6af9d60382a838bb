package dockerflowchi_test

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"

	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

var empty = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// BenchmarkLBHeartbeat: /__lbheartbeat__ registered by the adapter vs an
// empty handler on the same chi route.
func BenchmarkLBHeartbeat(b *testing.B) {
	req := httptest.NewRequest("GET", "/__lbheartbeat__", nil)
	b.Run("chi-empty-handler", func(b *testing.B) {
		r := chi.NewRouter()
		r.Get("/__lbheartbeat__", empty)
		dockerflowtest.ServeBenchmark(b, r, req)
	})
	b.Run("chi-cache-control-handler", func(b *testing.B) {
		r := chi.NewRouter()
		r.Get("/__lbheartbeat__", func(w http.ResponseWriter, _ *http.Request) { w.Header().Set("Cache-Control", "no-store") })
		dockerflowtest.ServeBenchmark(b, r, req)
	})
	b.Run("dockerflowchi", func(b *testing.B) {
		r := chi.NewRouter()
		svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: dockerflowtest.NopLogger{}})
		dockerflowchi.Register(r, svc)
		dockerflowtest.ServeBenchmark(b, r, req)
	})
}

// BenchmarkRequestLogger: the summary middleware (mozlog, the default)
// vs chi's middleware.Logger, both writing to io.Discard, around an empty
// handler.
func BenchmarkRequestLogger(b *testing.B) {
	req := httptest.NewRequest("GET", "/users/42", nil)
	req.Header.Set("User-Agent", "bench/1.0")
	b.Run("chi-middleware.Logger", func(b *testing.B) {
		r := chi.NewRouter()
		r.Use(middleware.RequestLogger(&middleware.DefaultLogFormatter{Logger: log.New(io.Discard, "", log.LstdFlags), NoColor: true}))
		r.Get("/users/{id}", empty)
		dockerflowtest.ServeBenchmark(b, r, req)
	})
	b.Run("dockerflowchi.Middleware", func(b *testing.B) {
		r := chi.NewRouter()
		svc, _ := dockerflowtest.NewService(b, dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
		r.Use(dockerflowchi.Middleware(svc))
		r.Get("/users/{id}", empty)
		dockerflowtest.ServeBenchmark(b, r, req)
	})
}
