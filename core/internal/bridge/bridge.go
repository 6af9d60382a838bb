// Package bridge is how package adapter, and the loggers of package
// mozlog, reach what package dockerflow keeps unexported, with types
// rather than any: adapter imports dockerflow, so dockerflow cannot name
// adapter's types, and both name these instead.
package bridge

import (
	"context"
	"net/http"
	"time"
)

// Service is a *dockerflow.Service's plumbing, as adapters use it.
type Service interface {
	TrackRequest(r *http.Request, h http.Header) (*http.Request, Tracker)
	TrackCall(ctx context.Context, method string, md http.Header) (context.Context, CallTracker)
	// HeartbeatInterval is the background loop's interval, 0 for none.
	HeartbeatInterval() time.Duration
	// Match returns the endpoint that serves path, 0 for none.
	Match(path string) uint8
	// Respond answers a request to endpoint ep.
	Respond(ctx context.Context, ep uint8, method string) (Response, error)
	// ErrorEndpoint reports whether /__error__ is served.
	ErrorEndpoint() bool
	// RequestIDHeader is the canonical name of the request-ID header.
	RequestIDHeader() string
	// ResetHeader readies a response header for a recovered 500; it works
	// on the plumbing of a nil *dockerflow.Service too.
	ResetHeader(h http.Header)
	// Lifecycle returns channels closed when the service starts draining,
	// and when it stops.
	Lifecycle() (draining, stopped <-chan struct{})
}

// Of returns svc's plumbing; svc is a *dockerflow.Service, set by package
// dockerflow when it is initialised. This is the one conversion from any:
// Go has no other way for adapter to reach a type whose package imports
// nothing of adapter's.
var Of func(svc any) Service

// Response is an endpoint's answer.
type Response struct {
	Status      int
	ContentType string
	Allow       string
	Body        []byte
}

// Tracker and CallTracker have the methods of adapter.Tracker and
// adapter.CallTracker.
type Tracker interface {
	RequestID() string
	SetRoute(pattern string)
	Done(code int)
	Panicked(code int, v any)
	Failed(code int, err string)
	Hijacked()
}

type CallTracker interface {
	RequestID() string
	EchoHeader() (key, value string)
	Done(code int, name, err string)
	Panicked(code int, name string, v any)
}

// ContextKey is the context key of a tracked request (or of a request ID
// alone); its value is a Tracked.
type ContextKey struct{}

// Tracked is what a context carries under ContextKey.
type Tracked interface {
	RequestID() string
	TraceID() string
	// Open returns the request's tracker, while its summary is not
	// logged yet: t for an HTTP request, c for an RPC.
	Open() (t Tracker, c CallTracker)
}

// IDs returns the request ID and trace ID carried by ctx, if any.
func IDs(ctx context.Context) (rid, traceID string) {
	if ctx == nil {
		return "", ""
	}
	if v, ok := ctx.Value(ContextKey{}).(Tracked); ok {
		return v.RequestID(), v.TraceID()
	}
	return "", ""
}
