package dockerflowtest

import (
	"context"
	"net/http"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// nopWriter is the cheapest ResponseWriter, so that benchmarks measure
// handlers rather than httptest.ResponseRecorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// ServeBenchmark serves req with h b.N times, reporting allocations. The
// response writer discards what it is given; its header is cleared for
// each request.
func ServeBenchmark(b *testing.B, h http.Handler, req *http.Request) {
	b.Helper()
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// NopLogger is a dockerflow.Logger that discards everything.
type NopLogger struct{}

var _ dockerflow.Logger = NopLogger{}

// LogSummary implements dockerflow.Logger.
func (NopLogger) LogSummary(context.Context, *dockerflow.Summary) {}

// LogEvent implements dockerflow.Logger.
func (NopLogger) LogEvent(context.Context, dockerflow.Event) {}
