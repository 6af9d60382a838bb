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
	for _, rt := range svc.Routes() {
		h := dockerflowhttp.EndpointHandler(svc, rt.Endpoint)
		r.Handle(rt.Path, h)
		r.Handle(rt.Path+"/", h)
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
// the router, inside middleware.Recoverer:
//
//	r.Use(middleware.Recoverer, dockerflowchi.Middleware(svc))
func Middleware(svc *dockerflow.Service) func(http.Handler) http.Handler {
	return dockerflowhttp.Middleware(svc, dockerflowhttp.WithRoute(routePattern))
}

// routePattern is the pattern chi matched, "" when chi routed nothing.
func routePattern(r *http.Request) string {
	if rctx := chi.RouteContext(r.Context()); rctx != nil {
		return rctx.RoutePattern()
	}
	return ""
}
