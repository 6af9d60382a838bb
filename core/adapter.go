package dockerflow

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// Adapter is the kit for authors of framework adapters: what
// dockerflowhttp, dockerflowchi, dockerflowecho, dockerflowgin,
// dockerflowgorilla and dockerflowgrpc are built from, and what an
// adapter for another framework is built from (see ExampleAdapter, a
// whole adapter on net/http, and dockerflowtest.Run, which checks one
// against the contract). Applications do not need it.
//
// An adapter serves the endpoints (Routes or Endpoint, then Respond),
// answers what must not reach the router (Intercept), and wraps every
// request in Track … Tracker.Done (or Failed, Panicked), so that it gets
// a request ID and one request.summary; its recovery finds the tracker
// with Tracker and readies the 500's headers with ResetHeader.
type Adapter struct{ s *Service }

// Adapter returns the service's kit for adapter authors.
func (s *Service) Adapter() Adapter { return Adapter{s} }

// Endpoint is one of the Dockerflow endpoints, named by its path; ""
// is none.
type Endpoint string

// The endpoints, as served (each also with a trailing slash).
const (
	PathVersion     Endpoint = "/__version__"
	PathHeartbeat   Endpoint = "/__heartbeat__"
	PathLBHeartbeat Endpoint = "/__lbheartbeat__"
	PathError       Endpoint = "/__error__"
)

// ErrErrorEndpoint is the error /__error__ fails its request with, down
// the framework's error path (a panic on net/http and chi, a returned
// error on echo): errors.Is(err, ErrErrorEndpoint) tells error reporting
// it was asked for.
var ErrErrorEndpoint = errors.New("the __error__ endpoint was called")

// endpointNotFound is no endpoint: what Intercept returns for a request
// that names no path, which Respond answers 404.
const endpointNotFound Endpoint = "404"

// Routes returns the endpoints the service serves, for adapters that
// register routes: /__error__ only when it is enabled. Each is served
// with and without a trailing slash.
func (a Adapter) Routes() []Endpoint {
	routes := []Endpoint{PathVersion, PathHeartbeat, PathLBHeartbeat}
	if a.s.cfg.EnableErrorEndpoint {
		routes = append(routes, PathError)
	}
	return routes
}

// Endpoint returns the endpoint r's path names, with or without a
// trailing slash, whatever the method; "" for any other path, and for
// /__error__ unless it is enabled. The path is matched as it was spelled:
// a percent-encoded spelling (/%5F_heartbeat__) is not an endpoint, so
// that a proxy's rule written on the raw path cannot be bypassed.
func (a Adapter) Endpoint(r *http.Request) Endpoint {
	if r.URL.RawPath != "" {
		return "" // spelled otherwise than plainly
	}
	return a.s.match(r.URL.Path)
}

// Intercept returns what must answer r before the framework's router
// does, "" for nothing: the endpoint at r's path for a method other than
// GET and HEAD (routers answer methods they do not know, PROPFIND or a
// lower-case get, with their own 404 or 405, where the endpoints answer
// 405 with Allow, as net/http does), and a 404 for a request that names
// no path (CONNECT x:443, which routers turn into a redirect or a route's
// 405). A GET costs no look at the path.
func (a Adapter) Intercept(r *http.Request) Endpoint {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return ""
	}
	if r.Method == http.MethodConnect && r.URL.Path == "" {
		return endpointNotFound
	}
	return a.s.match(r.URL.EscapedPath())
}

// Respond answers r, a request to endpoint ep, on w: status, headers
// (Cache-Control: no-store always; Content-Type, Content-Length and Allow
// as needed) and, unless r is a HEAD, the body; the summary's route is
// the endpoint's path. For /__error__ it logs the call, sets
// Cache-Control: no-store and returns ErrErrorEndpoint without answering:
// the adapter sends it down the framework's error path (a panic on
// net/http, a returned error on echo), which answers 500.
func (a Adapter) Respond(w http.ResponseWriter, r *http.Request, ep Endpoint) error {
	resp, err := a.s.respond(r, ep)
	h := w.Header()
	h["Cache-Control"] = noStore
	if err != nil {
		return err
	}
	if resp.contentType != "" {
		h["Content-Type"] = []string{resp.contentType}
	}
	if resp.allow != "" {
		h["Allow"] = []string{resp.allow}
	}
	if resp.vary {
		h["Vary"] = vary
	}
	if len(resp.body) == 0 {
		if resp.status != http.StatusOK { // a bare 200 is what the server sends anyway
			w.WriteHeader(resp.status)
		}
		return nil
	}
	h["Content-Length"] = []string{strconv.Itoa(len(resp.body))}
	w.WriteHeader(resp.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(resp.body)
	}
	return nil
}

// ResetHeader readies h for the 500 that replaces a panicking handler's
// answer: it keeps the request ID, the security headers
// (Strict-Transport-Security, Content-Security-Policy, X-Frame-Options…)
// and Config.KeepHeadersOnPanic, drops every other header the handler set
// (caching and validators, Content-*, Set-Cookie, Location…), and sets
// Cache-Control: no-store.
func (a Adapter) ResetHeader(h http.Header) { resetHeader(a.s, h) }

// Config returns the service's configuration, its defaults filled in:
// the request-ID header's name, whether it is echoed, how often the
// checks run in the background…
func (a Adapter) Config() Config { return a.s.cfg }

// Lifecycle returns channels closed when the service starts draining
// (Service.Drain, or Run on SIGTERM: a health server of the adapter's own
// then answers NOT_SERVING), and when it stops (Run stops its servers, or
// Close: the adapter ends its long-lived streams, so that a graceful stop
// does not wait on them).
func (a Adapter) Lifecycle() (draining, stopped <-chan struct{}) {
	return a.s.life.draining, a.s.life.stopped
}

// Alive reports whether /__lbheartbeat__ answers 200: the service
// neither drains nor is broken (Service.Broken). A health server of the
// adapter's own answers its liveness service from it.
func (a Adapter) Alive() bool { return a.s.life.lb.Load() == lbResponse }

// ShowsDetails reports whether r may see the heartbeat's checks and
// details (Config.HeartbeatShowDetails, HeartbeatDetailsToken,
// HeartbeatDetailsAllowed), as /__heartbeat__ decides: a gRPC health
// server's List asks it with a request holding the call's metadata as
// Header and the peer's address as RemoteAddr.
func (a Adapter) ShowsDetails(r *http.Request) bool { return a.s.details.shows(r) }

// match returns the endpoint that serves path, with or without a
// trailing slash; "" for other paths, and for /__error__ unless it is
// enabled.
func (s *Service) match(path string) Endpoint {
	if len(path) < len(PathError) || path[1] != '_' {
		return ""
	}
	switch ep := Endpoint(strings.TrimSuffix(path, "/")); ep {
	case PathLBHeartbeat, PathHeartbeat, PathVersion:
		return ep
	case PathError:
		if s.cfg.EnableErrorEndpoint {
			return ep
		}
	}
	return ""
}
