package dockerflow

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Observer sees what a Service does as it happens, for metrics and error
// reporting: each run of a check, each heartbeat, each request's or
// RPC's summary, and each failure worth reporting. The metrics/prometheus,
// metrics/otel and reporting/sentry modules each make one; put any number
// in Config.Observers. A nil field is not called, and a Service without
// observers pays nothing for them.
//
// An observer changes nothing that is logged or answered. Its functions
// run on the goroutine of what they observe, after it is logged: keep
// them quick, and keep nothing they are handed after they return (copy
// what is needed). One that panics is logged (a dockerflow.observer
// event at error level) and harms nothing else.
type Observer struct {
	// CheckRan is told of each check's result, once per run of the
	// checks, after the run: its Level as the heartbeat counts it,
	// RawLevel as the run found it, whether it timed out or panicked.
	CheckRan func(ctx context.Context, c CheckResult)
	// CheckChanged is told of each change of a check's level (as the
	// heartbeat counts it), with the results before and after: the one
	// hook for alerting on changes, which a heartbeat's report cannot
	// tell.
	CheckChanged func(ctx context.Context, from, to CheckResult)
	// Heartbeat is told of each heartbeat's report (HTTP, gRPC or
	// Service.Heartbeat): Report.Level.Failed() says whether it passed or failed
	// (python-dockerflow's heartbeat_passed and heartbeat_failed).
	Heartbeat func(ctx context.Context, r *Report)
	// Request is told of each request's and RPC's summary, whether it was
	// logged or not (excluded paths and sampling apply to the log only).
	// Its UID is set only when it was logged.
	Request func(ctx context.Context, s *Summary)
	// Error is told of each failure of a request or RPC that is the
	// service's fault, once per request whatever the order of the
	// middlewares: a panic, a 5xx whose handler returned an error (echo,
	// gin), a gRPC UNKNOWN, INTERNAL or DATA_LOSS, a call of /__error__.
	Error func(ctx context.Context, e *ErrorReport)
	// RunStarted and CheckStarted are for tracing: called as each run of
	// the checks starts, and as each check of it starts, with the context
	// the run or the check is given, they return the context to give it
	// instead (one carrying a span, so that the calls a check makes to its
	// backend become the span's children) and the function told of the
	// end: the run's report, the check's result (after the run, with its
	// Level as the heartbeat counts it, its Duration, its messages
	// redacted). They must not block. metrics/otel's NewTracing implements
	// them with OpenTelemetry spans.
	RunStarted   func(ctx context.Context) (context.Context, func(*Report))
	CheckStarted func(ctx context.Context, name string) (context.Context, func(CheckResult))
}

// ErrorReport is one failure of a request or RPC, as an error reporter
// sends it. Every text in it is redacted as the logs are.
type ErrorReport struct {
	// Text is the error's or panic's text, as the summary's error.
	Text string
	// Type is the Go type of the panic's value ("*errors.errorString",
	// "runtime.boundsError", "string"); empty for a failure the
	// framework reported as text.
	Type string
	// Panic is set for a panic.
	Panic bool
	// Stack holds, for a panic, the program counters of the panicking
	// goroutine from the frame that panicked outwards (innermost first,
	// as runtime.Callers gives them); for runtime.CallersFrames.
	Stack []uintptr
	// Release is the version object's "version", else its "commit";
	// empty when there is none. The first report loads the object if no
	// /__version__ has yet, as that would.
	Release string
	// Summary is the request's record: its request ID, trace ID, route,
	// method, path, status code (and gRPC status), duration and
	// traceback.
	Summary *Summary
}

// observers are a Service's observers, by what they observe: an empty
// list costs one length test.
type observers struct {
	checks     []func(context.Context, CheckResult)
	changes    []func(ctx context.Context, from, to CheckResult)
	heartbeats []func(context.Context, *Report)
	requests   []func(context.Context, *Summary)
	errors     []func(context.Context, *ErrorReport)
	runStarts  []func(context.Context) (context.Context, func(*Report))
	chkStarts  []func(context.Context, string) (context.Context, func(CheckResult))
}

func newObservers(list []Observer) observers {
	var o observers
	for _, ob := range list {
		if ob.CheckRan != nil {
			o.checks = append(o.checks, ob.CheckRan)
		}
		if ob.CheckChanged != nil {
			o.changes = append(o.changes, ob.CheckChanged)
		}
		if ob.Heartbeat != nil {
			o.heartbeats = append(o.heartbeats, ob.Heartbeat)
		}
		if ob.Request != nil {
			o.requests = append(o.requests, ob.Request)
		}
		if ob.Error != nil {
			o.errors = append(o.errors, ob.Error)
		}
		if ob.RunStarted != nil {
			o.runStarts = append(o.runStarts, ob.RunStarted)
		}
		if ob.CheckStarted != nil {
			o.chkStarts = append(o.chkStarts, ob.CheckStarted)
		}
	}
	return o
}

// observe calls f, an observer's function, with v. One that panics is
// logged (dockerflow.observer, at error level), and harms neither what it
// observed nor the other observers.
func observe[T any](s *Service, ctx context.Context, f func(context.Context, T), v T) {
	defer s.observerPanicked(ctx)
	f(ctx, v)
}

func (s *Service) observerPanicked(ctx context.Context) {
	if v := recover(); v != nil {
		s.log.LogEvent(ctx, Event{Type: mozlog.TypeObserver, Level: LevelError, Msg: "an observer panicked: " + s.safeError(panicText(v))})
	}
}

// observeChecks tells the observers of each result of a run.
func (s *Service) observeChecks(ctx context.Context, results []CheckResult) {
	for i := range results {
		for _, f := range s.obs.checks {
			observe(s, ctx, f, results[i])
		}
	}
}

// observeChange tells the observers of a change of a check's level.
func (s *Service) observeChange(ctx context.Context, from, to CheckResult) {
	for _, f := range s.obs.changes {
		func() {
			defer s.observerPanicked(ctx)
			f(ctx, from, to)
		}()
	}
}

// observeHeartbeat tells the observers of a heartbeat's report.
func (s *Service) observeHeartbeat(ctx context.Context, rep *Report) {
	for _, f := range s.obs.heartbeats {
		observe(s, ctx, f, rep)
	}
}

// observeEnd tells the observers of a request's end: its summary, and
// its failure when it is the service's fault.
func (t *Tracker) observeEnd(sum *Summary) {
	for _, f := range t.svc.obs.requests {
		observe(t.svc, t.context(), f, sum)
	}
	if len(t.svc.obs.errors) == 0 || sum.Error == "" {
		return
	}
	p := t.panic
	if p == nil && !sum.RPC && sum.Code < 500 {
		return // a framework's error that is the client's (gin's c.Error on a 4xx)
	}
	e := &ErrorReport{Text: sum.Error, Summary: sum, Release: t.svc.release(t.context())}
	if p != nil {
		e.Panic, e.Type, e.Stack = true, p.typ, p.stack
	}
	for _, f := range t.svc.obs.errors {
		observe(t.svc, t.context(), f, e)
	}
}

// releaseWait bounds how long an error report waits for the version
// object, when it is not loaded yet.
const releaseWait = 100 * time.Millisecond

// release is the version object's "version", else its "commit".
func (s *Service) release(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
	defer cancel()
	body, err := s.version.get(ctx)
	if err != nil {
		return ""
	}
	var v struct{ Version, Commit string }
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	if v.Version != "" {
		return v.Version
	}
	return v.Commit
}
