package dockerflowprometheus_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	dockerflowprometheus "github.com/dockerflow-go/dockerflow/metrics/prometheus"
	"github.com/prometheus/client_golang/prometheus"
)

// observed returns a service logging mozlog lines to io.Discard, with the
// Prometheus observer (request metrics on) or without any.
func observed(b *testing.B, withMetrics bool) *dockerflow.Service {
	cfg := dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}}
	if withMetrics {
		obs, err := dockerflowprometheus.New(prometheus.NewRegistry(), dockerflowprometheus.Options{Requests: true})
		if err != nil {
			b.Fatal(err)
		}
		cfg.Observers = []dockerflow.Observer{obs}
	}
	svc, err := dockerflow.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = svc.Close() })
	return svc
}

var variants = []struct {
	name    string
	metrics bool
}{{"no-observer", false}, {"prometheus", true}}

// BenchmarkSummary is one request's summary, from its arrival to its
// mozlog line, with and without the Prometheus observer.
func BenchmarkSummary(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			svc := observed(b, v.metrics)
			req := httptest.NewRequest("GET", "/notes/7", nil)
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
			req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_, t := svc.Adapter().Track(req, http.Header{})
				t.SetRoute("/notes/{id}")
				t.Done(200)
			}
		})
	}
}

// BenchmarkCheckRun is one heartbeat running one check, with and without
// the Prometheus observer.
func BenchmarkCheckRun(b *testing.B) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			svc := observed(b, v.metrics)
			if err := svc.Register(dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message { return nil }}); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := svc.Heartbeat(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
