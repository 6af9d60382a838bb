package adapter

import (
	"net/http"

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
	// from the deferred function that recovered, then panic again for the
	// framework's recovery. code is the status already sent, or 0 when
	// nothing was sent: then the handler's response headers are dropped
	// but for the request ID, and Cache-Control is no-store.
	Panicked(code int, v any)
	// Failed logs the summary of a request that failed with an error the
	// framework turns into a 5xx answer, at error level with its text.
	Failed(code int, err string)
}

// Track starts the summary of request r: it takes the request ID from
// the request's header (a new one if it is missing or invalid), sets it
// on the response header h (unless the service turned echoing off), and
// returns r with a context that carries it (dockerflow.RequestID).
func Track(svc *dockerflow.Service, r *http.Request, h http.Header) (*http.Request, Tracker) {
	r, t := bridge.Track(svc, r, h)
	return r, t.(Tracker)
}

// RequestIDHeader returns the canonical name of the header svc reads and
// echoes the request ID in.
func RequestIDHeader(svc *dockerflow.Service) string { return bridge.RequestIDHeader(svc) }
