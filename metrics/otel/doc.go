// Package dockerflowotel records what a Dockerflow service sees as
// OpenTelemetry metrics (go.opentelemetry.io/otel/metric), through the
// MeterProvider of your choice: its checks, its heartbeats and, if asked,
// its requests and RPCs:
//
//	obs, err := dockerflowotel.New(meterProvider, dockerflowotel.Options{Requests: true})
//	cfg.Observers = append(cfg.Observers, obs)
//
// The instruments, from the meter named by this package's import path:
//
//	dockerflow.check.up        gauge {check}: 1 while the check passes (its level, as the heartbeat counts it, is below error), else 0
//	dockerflow.check.level     gauge: the check's level (0 ok, 10 debug, 20 info, 30 warning, 40 error, 50 critical)
//	dockerflow.check.duration  histogram, s: how long each run of the check took
//	dockerflow.check.runs      counter {run}: runs by dockerflow.check.result (the level found, timeout or panic)
//	dockerflow.heartbeats      counter {heartbeat}: heartbeats by dockerflow.heartbeat.status
//
// each check's with dockerflow.check.name; with Options.Requests, the
// semantic conventions' server durations:
//
//	http.server.request.duration  histogram, s: http.request.method (_OTHER for an unknown one), http.route (the pattern, never the raw path; absent when none matched), http.response.status_code, error.type for a 5xx
//	rpc.server.duration           histogram, ms: rpc.system "grpc", rpc.service, rpc.method, rpc.grpc.status_code (as otelgrpc records it)
//
// NewTracing traces the heartbeat through the TracerProvider of your
// choice: a span per run of the checks (dockerflow.heartbeat), a child per
// check (dockerflow.check <name>) in the context the check's function
// gets, so that a slow heartbeat is seen next to the backend calls it
// made:
//
//	tracing, err := dockerflowotel.NewTracing(tracerProvider)
//	cfg.Observers = append(cfg.Observers, tracing)
//
// It needs only the trace API (go.opentelemetry.io/otel/trace), which the
// metrics packages already depend on: a service pays for no tracing SDK
// it does not use.
package dockerflowotel
