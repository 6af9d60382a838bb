package dockerflowsentry

import (
	"context"
	"runtime"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/getsentry/sentry-go"
)

// Options configure the reporter. The zero value works: events go
// through sentry.CurrentHub (set up by sentry.Init), with the release
// from version.json.
type Options struct {
	// Hub sends the events; sentry.CurrentHub() when nil.
	Hub *sentry.Hub
	// Environment is the events' environment ("production", "stage");
	// the client's (SENTRY_ENVIRONMENT) when empty.
	Environment string
	// Release is the events' release; the version object's "version"
	// (else its "commit") when empty.
	Release string
}

// New returns the observer that reports the service's failures to
// Sentry, for Config.Observers.
func New(opts Options) dockerflow.Observer {
	return dockerflow.Observer{Error: func(ctx context.Context, e *dockerflow.ErrorReport) {
		hub := opts.Hub
		if hub == nil {
			hub = sentry.CurrentHub()
		}
		hub.CaptureEvent(event(e, opts))
	}}
}

// event is the Sentry event of one failure: nothing of the request but
// its method, path and IDs.
func event(e *dockerflow.ErrorReport, opts Options) *sentry.Event {
	s := e.Summary
	ev := sentry.NewEvent()
	ev.Level = sentry.LevelError
	typ := e.Type
	if typ == "" {
		typ = "error"
	}
	handled := !e.Panic
	exc := sentry.Exception{Type: typ, Value: e.Text, Mechanism: &sentry.Mechanism{Type: "dockerflow", Handled: &handled}}
	if len(e.Stack) > 0 {
		exc.Stacktrace = stacktrace(e.Stack)
	}
	ev.Exception = []sentry.Exception{exc}

	ev.Transaction = s.Route
	if s.RPC || ev.Transaction == "" {
		ev.Transaction = s.Path // an RPC's full method; a request no route matched
	}
	ev.Tags = map[string]string{"rid": s.RID, "method": s.Method}
	if s.TraceID != "" {
		ev.Tags["trace_id"] = s.TraceID
	}
	if s.Route != "" {
		ev.Tags["route"] = s.Route
	}
	if s.RPC {
		ev.Tags["grpc.status"] = s.Status
	}
	ev.Request = &sentry.Request{Method: s.Method, URL: s.Path} // no query string, no header
	ev.Release = opts.Release
	if ev.Release == "" {
		ev.Release = e.Release
	}
	ev.Environment = opts.Environment
	return ev
}

// stacktrace turns the panicking goroutine's program counters
// (innermost first) into Sentry's frames (outermost first), without the
// runtime's and the testing package's, as sentry-go leaves them out.
func stacktrace(pcs []uintptr) *sentry.Stacktrace {
	var frames []sentry.Frame
	it := runtime.CallersFrames(pcs)
	for {
		f, more := it.Next()
		if fr := sentry.NewFrame(f); fr.Module != "runtime" && fr.Module != "testing" {
			frames = append(frames, fr)
		}
		if !more {
			break
		}
	}
	for i, j := 0, len(frames)-1; i < j; i, j = i+1, j-1 {
		frames[i], frames[j] = frames[j], frames[i]
	}
	return &sentry.Stacktrace{Frames: frames}
}
