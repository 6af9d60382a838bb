package dockerflowprometheus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/prometheus/client_golang/prometheus"
)

// Options configure the metrics. The zero value works: the check and
// heartbeat metrics, named dockerflow_*, with Prometheus' default
// buckets.
type Options struct {
	// Namespace is the first part of every metric's name; "dockerflow"
	// when empty.
	Namespace string
	// ConstLabels are labels every metric carries, to tell apart several
	// services registered with one registry (say, {"service": "notes"}).
	ConstLabels prometheus.Labels
	// Requests adds dockerflow_request_duration_seconds, by route, method
	// and status code.
	Requests bool
	// Buckets are the duration histograms' upper bounds in seconds;
	// prometheus.DefBuckets (5ms to 10s) when nil.
	Buckets []float64
}

// metrics are the collectors an observer feeds, and their series by
// labels, looked up once: a map read under a read lock costs less than
// the vector's hashing of label values. Measured (BenchmarkCheckRun,
// BenchmarkSummary, 2026-12-01): WithLabelValues on every call added 390
// ns to a check run (the target is 200) and 125 ns to a summary; the
// cache, 150 and 60.
type metrics struct {
	up, level *prometheus.GaugeVec
	duration  *prometheus.HistogramVec
	runs      *prometheus.CounterVec
	beats     *prometheus.CounterVec
	requests  *prometheus.HistogramVec // nil unless Options.Requests

	checks   series[checkKey, *checkSeries]
	statuses series[string, prometheus.Counter]
	routes   series[routeKey, prometheus.Observer]
}

type checkKey struct{ name, result string }

// checkSeries are one check's series, for one result.
type checkSeries struct {
	up, level prometheus.Gauge
	duration  prometheus.Observer
	runs      prometheus.Counter
}

// routeKey is a request series' labels: an HTTP status code, or an RPC's
// status name.
type routeKey struct {
	route, method, status string
	code                  int
}

// series caches what newV returns for each key.
type series[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (s *series[K, V]) get(k K, newV func(K) V) V {
	s.mu.RLock()
	v, ok := s.m[k]
	s.mu.RUnlock()
	if ok {
		return v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[k]; ok {
		return v
	}
	if s.m == nil {
		s.m = map[K]V{}
	}
	v = newV(k)
	s.m[k] = v
	return v
}

// New registers the metrics with reg and returns the observer that feeds
// them, for Config.Observers. It fails, naming the metric, when reg
// refuses one (a metric of that name is registered already: give each
// service its own ConstLabels or Namespace).
func New(reg prometheus.Registerer, opts Options) (dockerflow.Observer, error) {
	if reg == nil {
		return dockerflow.Observer{}, errors.New("dockerflowprometheus: no registerer")
	}
	ns := opts.Namespace
	if ns == "" {
		ns = "dockerflow"
	}
	buckets := opts.Buckets
	if buckets == nil {
		buckets = prometheus.DefBuckets
	}
	m := &metrics{
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "check_up", ConstLabels: opts.ConstLabels,
			Help: "1 while the check passes (its level, as the heartbeat counts it, is below error), else 0."}, []string{"check"}),
		level: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "check_level", ConstLabels: opts.ConstLabels,
			Help: "The check's level as the heartbeat counts it: 0 ok, 10 debug, 20 info, 30 warning, 40 error, 50 critical."}, []string{"check"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "check_duration_seconds", ConstLabels: opts.ConstLabels,
			Help: "How long each run of the check took.", Buckets: buckets}, []string{"check"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "check_runs_total", ConstLabels: opts.ConstLabels,
			Help: "Runs of the check by result: the level the run found, or timeout, or panic."}, []string{"check", "result"}),
		beats: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "heartbeats_total", ConstLabels: opts.ConstLabels,
			Help: "Heartbeats by status."}, []string{"status"}),
	}
	type named struct {
		name string
		c    prometheus.Collector
	}
	collectors := []named{{"check_up", m.up}, {"check_level", m.level}, {"check_duration_seconds", m.duration},
		{"check_runs_total", m.runs}, {"heartbeats_total", m.beats}}
	if opts.Requests {
		m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "request_duration_seconds", ConstLabels: opts.ConstLabels,
			Help: "Requests and RPCs by route pattern, method and status code.", Buckets: buckets}, []string{"route", "method", "code"})
		collectors = append(collectors, named{"request_duration_seconds", m.requests})
	}
	for i, c := range collectors {
		if err := reg.Register(c.c); err != nil {
			for _, done := range collectors[:i] {
				reg.Unregister(done.c) // all or nothing
			}
			return dockerflow.Observer{}, fmt.Errorf("dockerflowprometheus: registering %s_%s: %w", ns, c.name, err)
		}
	}
	obs := dockerflow.Observer{CheckRan: m.checkRan, Heartbeat: m.heartbeat}
	if m.requests != nil {
		obs.Request = m.request
	}
	return obs, nil
}

func (m *metrics) checkRan(_ context.Context, c dockerflow.CheckResult) {
	cs := m.checks.get(checkKey{c.Name, c.Outcome()}, func(k checkKey) *checkSeries {
		return &checkSeries{up: m.up.WithLabelValues(k.name), level: m.level.WithLabelValues(k.name),
			duration: m.duration.WithLabelValues(k.name), runs: m.runs.WithLabelValues(k.name, k.result)}
	})
	up := 1.0
	if c.Level.Failed() {
		up = 0
	}
	cs.up.Set(up)
	cs.level.Set(float64(c.Level))
	cs.duration.Observe(c.Duration.Seconds())
	cs.runs.Inc()
}

func (m *metrics) heartbeat(_ context.Context, r *dockerflow.Report) {
	m.statuses.get(r.Level.String(), func(status string) prometheus.Counter { return m.beats.WithLabelValues(status) }).Inc()
}

func (m *metrics) request(_ context.Context, s *dockerflow.Summary) {
	k := routeKey{route: s.Route, method: httpMethod(s.Method), code: s.Code}
	if s.RPC { // an RPC
		k = routeKey{route: s.Method, method: "GRPC", status: s.Status}
		if s.Status == "UNIMPLEMENTED" {
			k.route = "" // a method the server does not have: any text a client sent
		}
	}
	m.routes.get(k, func(k routeKey) prometheus.Observer {
		code := k.status // the label's text, made once per series
		if code == "" {
			code = strconv.Itoa(k.code)
		}
		return m.requests.WithLabelValues(k.route, k.method, code)
	}).Observe(s.Duration.Seconds())
}

// httpMethod is the method label: the method, or _OTHER for one outside
// RFC 9110's list and PATCH (as OpenTelemetry spells it), so that a
// client cannot make new series.
func httpMethod(m string) string {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		return m
	}
	return "_OTHER"
}
