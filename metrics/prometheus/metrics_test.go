package dockerflowprometheus_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	dockerflowprometheus "github.com/dockerflow-go/dockerflow/metrics/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
)

// newService returns a service feeding metrics registered with a new
// registry, and that registry's promhttp endpoint.
func newService(t *testing.T, opts dockerflowprometheus.Options) (*dockerflow.Service, *prometheus.Registry, string) {
	t.Helper()
	reg := prometheus.NewRegistry()
	obs, err := dockerflowprometheus.New(reg, opts)
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{Logger: &dockerflowtest.Logger{}, Observers: []dockerflow.Observer{obs}})
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(srv.Close)
	return svc, reg, srv.URL
}

func msgs(m ...dockerflow.Message) func(context.Context) []dockerflow.Message {
	return func(context.Context) []dockerflow.Message { return m }
}

// After two runs of known checks, the scrape holds exactly their series.
func TestCheckAndHeartbeatMetrics(t *testing.T) {
	svc, reg, url := newService(t, dockerflowprometheus.Options{})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	err := svc.Register(
		dockerflow.Check{Name: "db", Func: msgs()},
		dockerflow.Check{Name: "cache", NonCritical: true, Func: msgs(dockerflow.Error("cache.E001", "down"))},
		dockerflow.Check{Name: "queue", Func: msgs(dockerflow.Warning("queue.W001", "slow"))},
		dockerflow.Check{Name: "hangs", Timeout: 10 * time.Millisecond, Func: func(context.Context) []dockerflow.Message {
			<-release
			return nil
		}},
		dockerflow.Check{Name: "panics", Func: func(context.Context) []dockerflow.Message { panic("no") }},
	)
	if err != nil {
		t.Fatal(err)
	}
	// Two heartbeats, two runs.
	for range 2 {
		if _, err := svc.Heartbeat(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := `
# HELP dockerflow_check_level The check's level as the heartbeat counts it: 0 ok, 10 debug, 20 info, 30 warning, 40 error, 50 critical.
# TYPE dockerflow_check_level gauge
dockerflow_check_level{check="cache"} 30
dockerflow_check_level{check="db"} 0
dockerflow_check_level{check="hangs"} 40
dockerflow_check_level{check="panics"} 50
dockerflow_check_level{check="queue"} 30
# HELP dockerflow_check_runs_total Runs of the check by result: the level the run found, or timeout, or panic.
# TYPE dockerflow_check_runs_total counter
dockerflow_check_runs_total{check="cache",result="error"} 2
dockerflow_check_runs_total{check="db",result="ok"} 2
dockerflow_check_runs_total{check="hangs",result="timeout"} 2
dockerflow_check_runs_total{check="panics",result="panic"} 2
dockerflow_check_runs_total{check="queue",result="warning"} 2
# HELP dockerflow_check_up 1 while the check passes (its level, as the heartbeat counts it, is below error), else 0.
# TYPE dockerflow_check_up gauge
dockerflow_check_up{check="cache"} 1
dockerflow_check_up{check="db"} 1
dockerflow_check_up{check="hangs"} 0
dockerflow_check_up{check="panics"} 0
dockerflow_check_up{check="queue"} 1
# HELP dockerflow_heartbeats_total Heartbeats by status.
# TYPE dockerflow_heartbeats_total counter
dockerflow_heartbeats_total{status="critical"} 2
`
	if err := testutil.ScrapeAndCompare(url, strings.NewReader(want),
		"dockerflow_check_level", "dockerflow_check_runs_total", "dockerflow_check_up", "dockerflow_heartbeats_total"); err != nil {
		t.Error(err)
	}
	// Two observations per check: its runs' durations.
	for _, h := range histograms(t, reg, "dockerflow_check_duration_seconds") {
		if h.count != 2 || h.sum <= 0 {
			t.Errorf("check duration %v: %d observations, sum %v; want 2", h.labels, h.count, h.sum)
		}
	}
	if n := len(histograms(t, reg, "dockerflow_check_duration_seconds")); n != 5 {
		t.Errorf("%d check duration series, want 5", n)
	}
}

// Requests are counted by route pattern, never by path: 10,000 paths of
// one route are one series; a made-up method is _OTHER; RPCs by method
// and status name, but for unknown methods.
func TestRequestMetrics(t *testing.T) {
	svc, reg, _ := newService(t, dockerflowprometheus.Options{Requests: true})
	for i := range 10000 {
		request(svc, "GET", "/items/"+strconv.Itoa(i), "/items/{id}", 200)
	}
	request(svc, "BREW", "/pot", "", 405)
	request(svc, "GET", "/nowhere", "", 404)
	for _, c := range []struct {
		method string
		code   int
		name   string
	}{{"/notes.v1.Notes/Get", 5, "NOT_FOUND"}, {"/x.Made/Up", 12, "UNIMPLEMENTED"}} {
		_, call := svc.Adapter().TrackCall(context.Background(), c.method, nil)
		call.Done(c.code)
	}
	got := map[string]uint64{}
	for _, h := range histograms(t, reg, "dockerflow_request_duration_seconds") {
		got[h.labels] = h.count
	}
	want := map[string]uint64{
		"code=200,method=GET,route=/items/{id}":                10000,
		"code=405,method=_OTHER,route=":                        1,
		"code=404,method=GET,route=":                           1,
		"code=NOT_FOUND,method=GRPC,route=/notes.v1.Notes/Get": 1,
		"code=UNIMPLEMENTED,method=GRPC,route=":                1,
	}
	if len(got) != len(want) {
		t.Errorf("series %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d observations, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

// Without Options.Requests there is no request metric; a second service
// on the same registry is refused, naming the metric, and registers
// nothing; ConstLabels tell two apart.
func TestRegistration(t *testing.T) {
	reg := prometheus.NewRegistry()
	obs, err := dockerflowprometheus.New(reg, dockerflowprometheus.Options{})
	if err != nil || obs.Request != nil || obs.CheckRan == nil || obs.Heartbeat == nil {
		t.Fatalf("New: %+v, %v", obs, err)
	}
	_, err = dockerflowprometheus.New(reg, dockerflowprometheus.Options{Requests: true})
	if err == nil || !strings.Contains(err.Error(), "dockerflow_check_up") {
		t.Errorf("a second registration: %v, want an error naming dockerflow_check_up", err)
	}
	// All or nothing: refused on its fifth metric, New registers none,
	// and goes through once the name is free.
	taken := prometheus.NewRegistry()
	squatter := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dockerflow_heartbeats_total", Help: "Heartbeats by status."}, []string{"status"})
	taken.MustRegister(squatter)
	if _, err := dockerflowprometheus.New(taken, dockerflowprometheus.Options{}); err == nil || !strings.Contains(err.Error(), "dockerflow_heartbeats_total") {
		t.Errorf("New on a registry holding dockerflow_heartbeats_total: %v", err)
	}
	taken.Unregister(squatter)
	if _, err := dockerflowprometheus.New(taken, dockerflowprometheus.Options{}); err != nil {
		t.Errorf("New after the name was freed: %v (the refused call left metrics behind)", err)
	}
	shared := prometheus.NewRegistry()
	for _, name := range []string{"a", "b"} {
		if _, err := dockerflowprometheus.New(shared, dockerflowprometheus.Options{Requests: true, ConstLabels: prometheus.Labels{"service": name}}); err != nil {
			t.Errorf("service %s: %v", name, err)
		}
	}
	if _, err := dockerflowprometheus.New(nil, dockerflowprometheus.Options{}); err == nil {
		t.Error("New(nil) did not fail")
	}
}

// request runs one request through the service's tracking, as an
// adapter does.
func request(svc *dockerflow.Service, method, path, route string, code int) {
	r := httptest.NewRequest(method, path, nil)
	_, tr := svc.Adapter().Track(r, http.Header{})
	tr.SetRoute(route)
	tr.Done(code)
}

type histogram struct {
	labels string
	count  uint64
	sum    float64
}

// histograms returns the series of the histogram called name.
func histograms(t *testing.T, g prometheus.Gatherer, name string) []histogram {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []histogram
	for _, f := range families {
		if f.GetName() != name || f.GetType() != dto.MetricType_HISTOGRAM {
			continue
		}
		for _, m := range f.GetMetric() {
			var l []string
			for _, p := range m.GetLabel() {
				l = append(l, p.GetName()+"="+p.GetValue())
			}
			out = append(out, histogram{strings.Join(l, ","), m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()})
		}
	}
	return out
}
