package adapter

import (
	"context"
	"net/http"
	"strconv"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/internal/bridge"
)

// Endpoint is one of the Dockerflow endpoints.
type Endpoint uint8

// The endpoints. EndpointNone is any other path.
const (
	EndpointNone Endpoint = iota
	EndpointVersion
	EndpointHeartbeat
	EndpointLBHeartbeat
	EndpointError
	// EndpointNotFound is no endpoint: OtherMethod returns it for a
	// request that names no path (CONNECT host:port), which Respond
	// answers 404, so that no router makes its own answer of it.
	EndpointNotFound
)

// Paths of the endpoints.
const (
	PathVersion     = "/__version__"
	PathHeartbeat   = "/__heartbeat__"
	PathLBHeartbeat = "/__lbheartbeat__"
	PathError       = "/__error__"
)

// Match returns the endpoint of svc that serves path (the request's path
// as it was spelled: a percent-encoded spelling is not an endpoint), with
// or without a trailing slash; EndpointNone for other paths, and for
// /__error__ unless it is enabled.
func Match(svc *dockerflow.Service, path string) Endpoint {
	return Endpoint(bridge.Of(svc).Match(path))
}

// Route is an endpoint and the path it is served at.
type Route struct {
	Path     string
	Endpoint Endpoint
}

// Routes returns the endpoints svc serves, for adapters that register
// routes: /__error__ only when it is enabled. Each is also served with a
// trailing slash.
func Routes(svc *dockerflow.Service) []Route {
	routes := []Route{{PathVersion, EndpointVersion}, {PathHeartbeat, EndpointHeartbeat}, {PathLBHeartbeat, EndpointLBHeartbeat}}
	if bridge.Of(svc).ErrorEndpoint() {
		routes = append(routes, Route{PathError, EndpointError})
	}
	return routes
}

// Response is an endpoint's answer, written the same by every adapter.
type Response struct {
	Status      int
	ContentType string // "" for none
	Allow       string // "" for none
	Body        []byte
}

// Respond answers a request to an endpoint of svc. For EndpointError it
// logs the call and returns dockerflow.ErrErrorEndpoint, which the adapter
// sends down the framework's error path.
func Respond(ctx context.Context, svc *dockerflow.Service, ep Endpoint, method string) (Response, error) {
	r, err := bridge.Of(svc).Respond(ctx, uint8(ep), method)
	return Response(r), err
}

var noStore = []string{"no-store"}

// Write sends the response on w: status, headers (Cache-Control: no-store
// always; Content-Type, Content-Length and Allow as needed) and, unless
// method is HEAD, the body.
func (r Response) Write(w http.ResponseWriter, method string) {
	h := w.Header()
	h["Cache-Control"] = noStore
	if r.ContentType != "" {
		h["Content-Type"] = []string{r.ContentType}
	}
	if r.Allow != "" {
		h["Allow"] = []string{r.Allow}
	}
	if len(r.Body) == 0 {
		if r.Status != http.StatusOK { // a bare 200 is what the server sends anyway
			w.WriteHeader(r.Status)
		}
		return
	}
	h["Content-Length"] = []string{strconv.Itoa(len(r.Body))}
	w.WriteHeader(r.Status)
	if method != http.MethodHead {
		_, _ = w.Write(r.Body)
	}
}

// OtherMethod returns what must answer r before the router does, when
// r's method is neither GET nor HEAD: the endpoint of svc at r's path (as
// spelled, escaped), or EndpointNotFound for a request that names no path
// (CONNECT x:443); EndpointNone otherwise. A GET costs no look at the
// path. Middleware answers such a request itself (Respond: 405 with Allow,
// or 404): routers answer methods they do not know (PROPFIND, a
// lower-case get) with their own 404 or 405, and turn a CONNECT into a
// redirect or a route's 405, where the endpoints must answer every method
// as net/http's do, and every adapter alike.
func OtherMethod(svc *dockerflow.Service, r *http.Request) Endpoint {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return EndpointNone
	}
	if r.Method == http.MethodConnect && r.URL.Path == "" {
		return EndpointNotFound
	}
	return Match(svc, r.URL.EscapedPath())
}
