package dockerflowotel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	dockerflowotel "github.com/dockerflow-go/dockerflow/metrics/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func newService(t *testing.T, opts dockerflowotel.Options) (*dockerflow.Service, *sdkmetric.ManualReader) {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	obs, err := dockerflowotel.New(mp, opts)
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{Logger: &dockerflowtest.Logger{}, Observers: []dockerflow.Observer{obs}})
	return svc, reader
}

// collect returns the instruments read, by name.
func collect(t *testing.T, r *sdkmetric.ManualReader) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != "github.com/dockerflow-go/dockerflow/metrics/otel" {
			t.Errorf("scope %q", sm.Scope.Name)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// key is an attribute set as text: "k=v,k=v" in key order.
func key(s attribute.Set) string {
	out := ""
	for _, kv := range s.ToSlice() {
		if out != "" {
			out += ","
		}
		out += string(kv.Key) + "=" + kv.Value.Emit()
	}
	return out
}

func TestCheckAndHeartbeatInstruments(t *testing.T) {
	svc, reader := newService(t, dockerflowotel.Options{})
	err := svc.Register(
		dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message { return nil }},
		dockerflow.Check{Name: "cache", NonCritical: true, Func: func(context.Context) []dockerflow.Message {
			return []dockerflow.Message{dockerflow.Error("cache.E001", "down")}
		}},
		dockerflow.Check{Name: "panics", Func: func(context.Context) []dockerflow.Message { panic("no") }},
	)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := svc.Heartbeat(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, reader)
	if _, ok := got["http.server.request.duration"]; ok {
		t.Error("request durations recorded without Options.Requests")
	}
	gauges := func(name string) map[string]int64 {
		out := map[string]int64{}
		g, ok := got[name].Data.(metricdata.Gauge[int64])
		if !ok {
			t.Fatalf("%s: %T, want an int64 gauge", name, got[name].Data)
		}
		for _, p := range g.DataPoints {
			out[key(p.Attributes)] = p.Value
		}
		return out
	}
	sums := func(name, unit string) map[string]int64 {
		out := map[string]int64{}
		s, ok := got[name].Data.(metricdata.Sum[int64])
		if !ok || !s.IsMonotonic || got[name].Unit != unit {
			t.Fatalf("%s: %T unit %q, want a counter in %s", name, got[name].Data, got[name].Unit, unit)
		}
		for _, p := range s.DataPoints {
			out[key(p.Attributes)] = p.Value
		}
		return out
	}
	want := func(name string, got, want map[string]int64) {
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s{%s} = %d, want %d (all: %v)", name, k, got[k], v, got)
			}
		}
	}
	want("dockerflow.check.up", gauges("dockerflow.check.up"), map[string]int64{
		"dockerflow.check.name=db": 1, "dockerflow.check.name=cache": 1, "dockerflow.check.name=panics": 0})
	want("dockerflow.check.level", gauges("dockerflow.check.level"), map[string]int64{
		"dockerflow.check.name=db": 0, "dockerflow.check.name=cache": 30, "dockerflow.check.name=panics": 50})
	want("dockerflow.check.runs", sums("dockerflow.check.runs", "{run}"), map[string]int64{
		"dockerflow.check.name=db,dockerflow.check.result=ok":        2,
		"dockerflow.check.name=cache,dockerflow.check.result=error":  2,
		"dockerflow.check.name=panics,dockerflow.check.result=panic": 2})
	want("dockerflow.heartbeats", sums("dockerflow.heartbeats", "{heartbeat}"), map[string]int64{"dockerflow.heartbeat.status=critical": 2})
	h, ok := got["dockerflow.check.duration"].Data.(metricdata.Histogram[float64])
	if !ok || got["dockerflow.check.duration"].Unit != "s" || len(h.DataPoints) != 3 {
		t.Fatalf("dockerflow.check.duration: %+v", got["dockerflow.check.duration"])
	}
	for _, p := range h.DataPoints {
		if p.Count != 2 {
			t.Errorf("dockerflow.check.duration{%s}: %d observations, want 2", key(p.Attributes), p.Count)
		}
	}
}

// HTTP requests as the semantic conventions name them, by route, never
// by path; RPCs as otelgrpc records them.
func TestRequestInstruments(t *testing.T) {
	svc, reader := newService(t, dockerflowotel.Options{Requests: true})
	for i := range 1000 {
		_, tr := svc.Adapter().Track(httptest.NewRequest("GET", "/items/"+strconv.Itoa(i), nil), http.Header{})
		tr.SetRoute("/items/{id}")
		tr.Done(200)
	}
	_, tr := svc.Adapter().Track(httptest.NewRequest("BREW", "/pot", nil), http.Header{})
	tr.Failed(503, "the pot is cold")
	_, c := svc.Adapter().TrackCall(context.Background(), "/notes.v1.Notes/Get", nil)
	c.Done(5)
	_, c = svc.Adapter().TrackCall(context.Background(), "/x.Made/Up", nil)
	c.Done(12)

	got := collect(t, reader)
	counts := func(name, unit string) map[string]uint64 {
		h, ok := got[name].Data.(metricdata.Histogram[float64])
		if !ok || got[name].Unit != unit {
			t.Fatalf("%s: %+v, want a histogram in %s", name, got[name], unit)
		}
		out := map[string]uint64{}
		for _, p := range h.DataPoints {
			out[key(p.Attributes)] = p.Count
		}
		return out
	}
	for name, c := range map[string]struct {
		unit string
		want map[string]uint64
	}{
		"http.server.request.duration": {"s", map[string]uint64{
			"http.request.method=GET,http.response.status_code=200,http.route=/items/{id}": 1000,
			"error.type=503,http.request.method=_OTHER,http.response.status_code=503":      1,
		}},
		"rpc.server.duration": {"ms", map[string]uint64{
			"rpc.grpc.status_code=5,rpc.method=Get,rpc.service=notes.v1.Notes,rpc.system=grpc": 1,
			"rpc.grpc.status_code=12,rpc.system=grpc":                                          1,
		}},
	} {
		got := counts(name, c.unit)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
		for k, n := range c.want {
			if got[k] != n {
				t.Errorf("%s{%s}: %d, want %d (all: %v)", name, k, got[k], n, got)
			}
		}
	}
}

func TestNewNeedsAProvider(t *testing.T) {
	if _, err := dockerflowotel.New(nil, dockerflowotel.Options{}); err == nil {
		t.Error("New(nil) did not fail")
	}
}
