package dockerflowhttp

import (
	"net/http"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Handler returns an http.Handler that serves the Dockerflow endpoints of
// svc (/__version__, /__heartbeat__, /__lbheartbeat__ and, when enabled,
// /__error__, each with or without a trailing slash, spelled without
// percent-encoding) and hands every other request to next, or answers 404
// when next is nil.
//
// /__error__ fails its request by panicking with dockerflow.ErrErrorEndpoint,
// which is net/http's error path: recovery middleware (Recover, chi's
// Recoverer, sentryhttp…) answers 500 and error reporting sees it.
func Handler(svc *dockerflow.Service, next http.Handler) http.Handler {
	if next == nil {
		next = http.NotFoundHandler()
	}
	return &handler{svc: svc, next: next}
}

type handler struct {
	svc  *dockerflow.Service
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The endpoints are matched as spelled: /%5F_heartbeat__ is not one.
	ep := h.svc.Adapter().Endpoint(r)
	if ep == "" {
		h.next.ServeHTTP(w, r)
		return
	}
	serve(h.svc, ep, w, r)
}

// EndpointHandler returns an http.Handler that serves one endpoint at
// whatever path it is routed to, for routers that match the path
// themselves (dockerflowchi registers these; a sub-router mounted under a
// prefix routes on the path below it).
func EndpointHandler(svc *dockerflow.Service, ep dockerflow.Endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serve(svc, ep, w, r) })
}

func serve(svc *dockerflow.Service, ep dockerflow.Endpoint, w http.ResponseWriter, r *http.Request) {
	if err := svc.Adapter().Respond(w, r, ep); err != nil {
		panic(err) // /__error__: net/http's error path
	}
}

// Register adds the Dockerflow endpoints of svc to mux, each with and
// without a trailing slash ("/__heartbeat__" and "/__heartbeat__/{$}"),
// for every method (other methods than GET and HEAD get 405 with Allow),
// as dockerflowchi.Register and dockerflowecho.Register do on their
// routers. A percent-encoded spelling of an endpoint's path is not served
// (404), as on every adapter. Put Middleware around the mux.
func Register(mux *http.ServeMux, svc *dockerflow.Service) {
	for _, ep := range svc.Adapter().Routes() {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.RawPath != "" {
				http.NotFound(w, r)
				return
			}
			serve(svc, ep, w, r)
		})
		mux.Handle(string(ep), h)
		mux.Handle(string(ep)+"/{$}", h)
	}
}

// Wrap returns app with the Dockerflow endpoints in front of it, the
// request middleware around both and the recovery around everything:
// Recover(svc)(Middleware(svc)(Handler(svc, app))), what a service on
// net/http needs.
func Wrap(svc *dockerflow.Service, app http.Handler) http.Handler {
	return Recover(svc)(Middleware(svc)(Handler(svc, app)))
}
