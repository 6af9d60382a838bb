package adapter

import (
	"context"
	"net/http"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/internal/bridge"
)

// Tracker follows one request from the middleware's start to its end.
type Tracker interface {
	// RequestID returns the request's ID.
	RequestID() string
	// SetRoute records the route pattern that matched, in the framework's
	// own syntax, without a method ("/users/{id}"); for a Dockerflow
	// endpoint its path is the route whatever the pattern. Call it before
	// the request ends.
	SetRoute(pattern string)
	// Done logs the summary of a request that returned, with the status
	// code the framework sent (200 when the handler wrote nothing).
	Done(code int)
	// Panicked logs the summary of a request whose handler panicked with
	// v: at error level, errno 500, the panic's text and stack. Call it
	// from the deferred function that recovered (the stack is taken
	// there), then panic again for the framework's recovery. code is the
	// status already sent, or 0 when nothing was sent: then the handler's
	// response headers are reset for the 500 (see ResetHeader). A panic
	// with http.ErrAbortHandler is not an error: its summary is at info
	// level, without traceback, and says the client went away.
	Panicked(code int, v any)
	// Failed logs the summary of a request that failed with an error the
	// framework turns into a 5xx answer, at error level with its text;
	// errno is the status sent.
	Failed(code int, err string)
	// Hijacked records that the handler took over the connection
	// (http.Hijacker: a websocket). Call it from the response writer's
	// Hijack, once it succeeded: Service.Run then does not wait for the
	// request, as net/http's Shutdown does not, and says so; if it is
	// still open when the service stops, its summary says it was cut.
	Hijacked()
}

// Track starts the summary of request r: it takes the request ID from
// the request's header (a new one if it is missing or invalid), sets it
// on the response header h (unless the service turned echoing off), and
// returns r with a context that carries it (dockerflow.RequestID).
func Track(svc *dockerflow.Service, r *http.Request, h http.Header) (*http.Request, Tracker) {
	return bridge.Of(svc).TrackRequest(r, h)
}

// TrackerFrom returns the tracker of the request whose context is ctx
// while its summary is not logged yet. Recovery middleware calls it: when
// it sits inside the request middleware, it is the first to see a panic,
// and logs it with Panicked before answering, so that the panic is logged
// once, with its stack, in whichever order the two are installed.
func TrackerFrom(ctx context.Context) (Tracker, bool) {
	t, _ := open(ctx)
	return t, t != nil
}

// CallTrackerFrom returns the tracker of the RPC whose context is ctx
// while its summary is not logged yet: a gRPC stats handler starts the
// summary, and the interceptors then use its tracker.
func CallTrackerFrom(ctx context.Context) (CallTracker, bool) {
	_, c := open(ctx)
	return c, c != nil
}

// ResetHeader readies h for the 500 that replaces a panicking handler's
// answer: it keeps the request ID, the security headers
// (Strict-Transport-Security, Content-Security-Policy, X-Frame-Options…)
// and svc's Config.KeepHeadersOnPanic, drops every other header the
// handler set (caching and validators, Content-*, Set-Cookie, Location…),
// and sets Cache-Control: no-store. svc may be nil, when the recovery
// does not know it: then X-Request-Id and the security headers are kept.
func ResetHeader(svc *dockerflow.Service, h http.Header) { bridge.Of(svc).ResetHeader(h) }

// RequestIDHeader returns the canonical name of the header svc reads and
// echoes the request ID in.
func RequestIDHeader(svc *dockerflow.Service) string { return bridge.Of(svc).RequestIDHeader() }

// CallTracker follows one remote procedure call (gRPC) from an
// interceptor's start to its end: the same request.summary as an HTTP
// request's, with the call's status code.
type CallTracker interface {
	// RequestID returns the call's ID.
	RequestID() string
	// EchoHeader returns the metadata key (lower case) and value that send
	// the request ID back to the client; "" when the service does not
	// echo it.
	EchoHeader() (key, value string)
	// Done logs the summary of a call that ended with status code: its
	// number (0 for OK) as code and errno, name its canonical name
	// ("NOT_FOUND") as status. err, when not empty, is the text of a
	// failure on the server's side: the entry is then at error level.
	Done(code int, name, err string)
	// Panicked logs the summary of a call whose handler panicked with v,
	// at error level with the panic's text and stack; code and name are
	// what the client is answered (13, INTERNAL). Call it from the
	// deferred function that recovered.
	Panicked(code int, name string, v any)
}

// TrackCall starts the summary of the RPC named method
// ("/pkg.Service/Method") whose request metadata are md, with canonical
// keys (X-Request-Id, Traceparent, User-Agent…). The request ID and
// trace-id come from md as from an HTTP request's headers; the summary's
// method and path are method. It returns ctx carrying the request ID
// (dockerflow.RequestID).
func TrackCall(ctx context.Context, svc *dockerflow.Service, method string, md http.Header) (context.Context, CallTracker) {
	return bridge.Of(svc).TrackCall(ctx, method, md)
}

// HeartbeatInterval is how often svc runs its checks in the background
// (Config.HeartbeatInterval), 0 when it does not: a watcher of its
// heartbeat learns nothing new more often.
func HeartbeatInterval(svc *dockerflow.Service) time.Duration {
	return bridge.Of(svc).HeartbeatInterval()
}

// open returns the tracker of the request (t) or RPC (c) whose context is
// ctx, while its summary is not logged yet.
func open(ctx context.Context) (t bridge.Tracker, c bridge.CallTracker) {
	if v, ok := ctx.Value(bridge.ContextKey{}).(bridge.Tracked); ok {
		return v.Open()
	}
	return nil, nil
}

// Draining returns a channel closed when svc starts draining (Drain, or
// Run on SIGTERM): an adapter with health answers of its own (the gRPC
// health server) then answers NOT_SERVING.
func Draining(svc *dockerflow.Service) <-chan struct{} {
	d, _ := bridge.Of(svc).Lifecycle()
	return d
}

// Stopped returns a channel closed when svc stops (Run stops its servers,
// or Close): an adapter ends its long-lived streams then, so that a
// graceful stop does not wait on them.
func Stopped(svc *dockerflow.Service) <-chan struct{} {
	_, s := bridge.Of(svc).Lifecycle()
	return s
}
