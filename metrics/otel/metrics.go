package dockerflowotel

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// meterName is the instrumentation scope of every instrument.
const meterName = "github.com/dockerflow-go/dockerflow/metrics/otel"

// Options configure the instruments. The zero value works: the check and
// heartbeat instruments.
type Options struct {
	// Requests adds http.server.request.duration and rpc.server.duration.
	Requests bool
}

// Attribute keys of the dockerflow instruments.
const (
	keyCheck  = attribute.Key("dockerflow.check.name")
	keyResult = attribute.Key("dockerflow.check.result")
	keyStatus = attribute.Key("dockerflow.heartbeat.status")
)

// secondsBuckets are the semantic conventions' advice for
// http.server.request.duration, used for check durations too.
var secondsBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// instruments are what an observer records to.
type instruments struct {
	up, level    metric.Int64Gauge
	duration     metric.Float64Histogram
	runs, beats  metric.Int64Counter
	http, rpcDur metric.Float64Histogram // nil unless Options.Requests
}

// New creates the instruments on a meter of mp and returns the observer
// that records to them, for Config.Observers. It fails, naming the
// instrument, when the meter refuses one.
func New(mp metric.MeterProvider, opts Options) (dockerflow.Observer, error) {
	if mp == nil {
		return dockerflow.Observer{}, errors.New("dockerflowotel: no meter provider")
	}
	m := mp.Meter(meterName)
	var in instruments
	var errs []error
	check := func(name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("dockerflowotel: instrument %s: %w", name, err))
		}
	}
	var err error
	in.up, err = m.Int64Gauge("dockerflow.check.up", metric.WithUnit("1"),
		metric.WithDescription("1 while the check passes (its level, as the heartbeat counts it, is below error), else 0."))
	check("dockerflow.check.up", err)
	in.level, err = m.Int64Gauge("dockerflow.check.level", metric.WithUnit("1"),
		metric.WithDescription("The check's level as the heartbeat counts it: 0 ok, 10 debug, 20 info, 30 warning, 40 error, 50 critical."))
	check("dockerflow.check.level", err)
	in.duration, err = m.Float64Histogram("dockerflow.check.duration", metric.WithUnit("s"),
		metric.WithDescription("How long each run of the check took."), metric.WithExplicitBucketBoundaries(secondsBuckets...))
	check("dockerflow.check.duration", err)
	in.runs, err = m.Int64Counter("dockerflow.check.runs", metric.WithUnit("{run}"),
		metric.WithDescription("Runs of the check by result: the level the run found, or timeout, or panic."))
	check("dockerflow.check.runs", err)
	in.beats, err = m.Int64Counter("dockerflow.heartbeats", metric.WithUnit("{heartbeat}"),
		metric.WithDescription("Heartbeats by status."))
	check("dockerflow.heartbeats", err)
	if opts.Requests {
		in.http, err = m.Float64Histogram("http.server.request.duration", metric.WithUnit("s"),
			metric.WithDescription("Duration of HTTP server requests."), metric.WithExplicitBucketBoundaries(secondsBuckets...))
		check("http.server.request.duration", err)
		in.rpcDur, err = m.Float64Histogram("rpc.server.duration", metric.WithUnit("ms"),
			metric.WithDescription("Measures the duration of inbound RPC."))
		check("rpc.server.duration", err)
	}
	if err := errors.Join(errs...); err != nil {
		return dockerflow.Observer{}, err
	}
	obs := dockerflow.Observer{CheckRan: in.checkRan, Heartbeat: in.heartbeat}
	if opts.Requests {
		obs.Request = in.request
	}
	return obs, nil
}

func (in *instruments) checkRan(ctx context.Context, c dockerflow.CheckResult) {
	name := metric.WithAttributeSet(attribute.NewSet(keyCheck.String(c.Name)))
	up := int64(1)
	if c.Level.Failed() {
		up = 0
	}
	in.up.Record(ctx, up, name)
	in.level.Record(ctx, int64(c.Level), name)
	in.duration.Record(ctx, c.Duration.Seconds(), name)
	in.runs.Add(ctx, 1, metric.WithAttributes(keyCheck.String(c.Name), keyResult.String(c.Outcome())))
}

func (in *instruments) heartbeat(ctx context.Context, r *dockerflow.Report) {
	in.beats.Add(ctx, 1, metric.WithAttributes(keyStatus.String(r.Level.String())))
}

func (in *instruments) request(ctx context.Context, s *dockerflow.Summary) {
	if s.RPC {
		in.rpc(ctx, s)
		return
	}
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, attribute.String("http.request.method", httpMethod(s.Method)),
		attribute.Int("http.response.status_code", s.Code))
	if s.Route != "" {
		attrs = append(attrs, attribute.String("http.route", s.Route))
	}
	if s.Code >= 500 {
		attrs = append(attrs, attribute.String("error.type", strconv.Itoa(s.Code)))
	}
	in.http.Record(ctx, s.Duration.Seconds(), metric.WithAttributes(attrs...))
}

// rpc records an RPC as otelgrpc does: its service and method apart,
// the status code's number; an unknown method's name (any text a client
// sent) is left out.
func (in *instruments) rpc(ctx context.Context, s *dockerflow.Summary) {
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, attribute.String("rpc.system", "grpc"), attribute.Int("rpc.grpc.status_code", s.Code))
	if s.Status != "UNIMPLEMENTED" {
		if service, method, ok := strings.Cut(strings.TrimPrefix(s.Method, "/"), "/"); ok {
			attrs = append(attrs, attribute.String("rpc.service", service), attribute.String("rpc.method", method))
		}
	}
	in.rpcDur.Record(ctx, float64(s.Duration)/1e6, metric.WithAttributes(attrs...))
}

// httpMethod is the method as the semantic conventions record it: one of
// RFC 9110's and PATCH, else _OTHER.
func httpMethod(m string) string {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		return m
	}
	return "_OTHER"
}
