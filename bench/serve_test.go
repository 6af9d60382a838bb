package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// nopWriter is the cheapest ResponseWriter, so that benchmarks measure
// handlers rather than httptest.ResponseRecorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// serveBenchmark serves req with h b.N times, reporting allocations. The
// response writer discards what it is given; its header is cleared for
// each request.
func serveBenchmark(b *testing.B, h http.Handler, req *http.Request) {
	b.Helper()
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// nopLogger is a dockerflow.Logger that discards everything.
type nopLogger struct{}

func (nopLogger) LogSummary(context.Context, *dockerflow.Summary) {}
func (nopLogger) LogEvent(context.Context, dockerflow.Event)      {}

// slowCheck returns a check function that takes d, as a backend's round
// trip would, and returns early with an error when its context ends.
func slowCheck(d time.Duration) func(context.Context) []dockerflow.Message {
	return func(ctx context.Context) []dockerflow.Message {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return []dockerflow.Message{dockerflow.Error("bench.E001", "slow check: "+ctx.Err().Error())}
		}
	}
}
