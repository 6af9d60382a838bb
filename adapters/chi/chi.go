package dockerflowchi

import (
	"net/http"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/go-chi/chi/v5"
)

// Register adds the Dockerflow endpoints of svc to r, each with and
// without a trailing slash, for every method (other methods than GET and
// HEAD get 405 with Allow). r may be a sub-router or group: the endpoints
// are served at r's prefix.
func Register(r chi.Router, svc *dockerflow.Service) {
	for _, ep := range svc.Adapter().Routes() {
		h := dockerflowhttp.EndpointHandler(svc, ep)
		r.Handle(string(ep), h)
		r.Handle(string(ep)+"/", h)
	}
}

// Routes returns a router serving only the endpoints, to Mount:
//
//	r.Mount("/ops", dockerflowchi.Routes(svc)) // /ops/__heartbeat__ …
func Routes(svc *dockerflow.Service) chi.Router {
	r := chi.NewRouter()
	Register(r, svc)
	return r
}

// Middleware is the request ID and request.summary middleware of
// dockerflowhttp, in chi's form, with the matched route pattern (for
// example "/users/{id}") as the summary's route. Install it with r.Use on
// the router, inside Recoverer:
//
//	r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
//
// Read the request ID with dockerflow.RequestID(ctx), and drop chi's
// middleware.RequestID, which makes IDs of its own (this module does not
// import chi's middleware package, which links net/http/pprof and expvar
// into every binary that does).
//
// It takes dockerflowhttp's options: dockerflowhttp.WithSkipper skips
// requests (no ID, no summary), as echo's Skipper does.
func Middleware(svc *dockerflow.Service, opts ...dockerflowhttp.Option) func(http.Handler) http.Handler {
	return dockerflowhttp.Middleware(svc, append([]dockerflowhttp.Option{dockerflowhttp.WithRoute(routePattern)}, opts...)...)
}

// Recoverer returns middleware that answers 500 to a request whose
// handler panicked, as chi's middleware.Recoverer does, but writes
// nothing to stderr: Middleware, inside it, has logged the panic and its
// stack in the request's mozlog summary. It is dockerflowhttp.Recover.
func Recoverer(svc *dockerflow.Service) func(http.Handler) http.Handler {
	return dockerflowhttp.Recover(svc)
}

// routePattern is the pattern chi matched, "" when chi routed nothing.
func routePattern(r *http.Request) string {
	if rctx := chi.RouteContext(r.Context()); rctx != nil {
		return rctx.RoutePattern()
	}
	return ""
}
