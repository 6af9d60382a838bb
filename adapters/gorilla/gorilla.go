package dockerflowgorilla

import (
	"net/http"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/gorilla/mux"
)

// Register serves svc's endpoints on r, and wraps r's NotFoundHandler and
// MethodNotAllowedHandler (gorilla's answers when unset: 404, and 405
// with no body) so that the requests no route matches get their summary:
// Router.Use middleware never runs for them. Set those handlers before
// Register, if at all.
//
// It turns gorilla's path cleaning off (Router.SkipClean): the router
// answered /%2F__heartbeat__ (and //x) with a 301 to the cleaned path
// before any middleware ran, so that no summary was logged, a spelling
// that is not an endpoint was sent to one, and a CONNECT x:443 was
// redirected to //x:443/. Routes then match the path as it is, as on
// chi, echo and gin.
func Register(r *mux.Router, svc *dockerflow.Service) {
	r.SkipClean(true)
	kit := svc.Adapter()
	for _, ep := range kit.Routes() {
		h := dockerflowhttp.EndpointHandler(svc, ep)
		// gorilla matches the decoded path (unless UseEncodedPath): the
		// endpoint is the path as spelled on the wire, so that
		// /%5F_heartbeat__ goes on to the application's routes.
		spelled := func(req *http.Request, _ *mux.RouteMatch) bool { return kit.Endpoint(req) == ep }
		r.Handle(string(ep), h).MatcherFunc(spelled)
		r.Handle(string(ep)+"/", h).MatcherFunc(spelled)
	}
	mw := Middleware(svc) // tracks, or leaves an outer middleware's tracker be
	notFound := r.NotFoundHandler
	if notFound == nil {
		notFound = http.NotFoundHandler()
	}
	r.NotFoundHandler = mw(notFound)
	notAllowed := r.MethodNotAllowedHandler
	if notAllowed == nil { // gorilla's own answer: 405, no body
		notAllowed = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusMethodNotAllowed) })
	}
	r.MethodNotAllowedHandler = mw(notAllowed)
}

// Option configures Middleware.
type Option = dockerflowhttp.Option

// WithSkipper leaves out the requests skip reports true for: no request
// ID, no summary.
func WithSkipper(skip func(r *http.Request) bool) Option { return dockerflowhttp.WithSkipper(skip) }

// WithRoute replaces the route gorilla matched (its path template) by
// what route returns for the request, when that is not empty.
func WithRoute(route func(r *http.Request) string) Option { return dockerflowhttp.WithRoute(route) }

// Middleware returns the request middleware, for Router.Use: the request
// ID (read, or made, and echoed), and one request.summary per request with
// gorilla's path template as route. A request already tracked by an outer
// dockerflow middleware (dockerflowhttp.Middleware around the router) gets
// its route set, and no second summary.
func Middleware(svc *dockerflow.Service, opts ...Option) mux.MiddlewareFunc {
	return dockerflowhttp.Middleware(svc, append([]Option{dockerflowhttp.WithRoute(pathTemplate)}, opts...)...)
}

// Recover returns middleware that answers 500 to a request whose handler
// panicked, as dockerflowhttp.Recover does: for Router.Use, or around the
// router.
func Recover(svc *dockerflow.Service) mux.MiddlewareFunc { return dockerflowhttp.Recover(svc) }

// pathTemplate is the template of the route gorilla matched, "" for none.
func pathTemplate(r *http.Request) string {
	if route := mux.CurrentRoute(r); route != nil {
		if tpl, err := route.GetPathTemplate(); err == nil {
			return tpl
		}
	}
	return ""
}
