package dockerflowgin

import (
	"bufio"
	"net"
	"net/http"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/gin-gonic/gin"
)

// Register adds the Dockerflow endpoints of svc to r, each with and
// without a trailing slash, for every method gin's Any covers (other
// methods than GET and HEAD get 405 with Allow). On a group they are
// served under its prefix.
func Register(r gin.IRouter, svc *dockerflow.Service) {
	for _, ep := range svc.Adapter().Routes() {
		h := EndpointHandler(svc, ep)
		r.Any(string(ep), h)
		r.Any(string(ep)+"/", h)
	}
}

// EndpointHandler returns the gin handler of one endpoint, to serve it at
// a path of the application's choosing. /__error__ panics with
// dockerflow.ErrErrorEndpoint, as a failing handler does: the recovery in
// front answers 500, and error reporting that hooks gin's recovery
// (sentrygin) sees it.
func EndpointHandler(svc *dockerflow.Service, ep dockerflow.Endpoint) gin.HandlerFunc {
	kit := svc.Adapter()
	return func(c *gin.Context) {
		req := c.Request
		if req.URL.RawPath != "" {
			// gin routes on the decoded path: /%5F_heartbeat__ came here.
			// The endpoints are matched on the raw path, as a proxy's rule
			// sees them, so this is not one.
			c.String(http.StatusNotFound, "404 page not found")
			return
		}
		if err := kit.Respond(c.Writer, req, ep); err != nil {
			panic(err)
		}
	}
}

// Option configures Middleware.
type Option func(*options)

type options struct {
	route func(c *gin.Context) string
	skip  func(c *gin.Context) bool
}

// WithSkipper skips the middleware for the requests skip returns true for:
// they get no request ID and no summary.
func WithSkipper(skip func(c *gin.Context) bool) Option {
	return func(o *options) { o.skip = skip }
}

// WithRoute sets how the summary's route is found once the handler has
// returned; c.FullPath() ("/users/:id", "" when nothing matched) when
// unset.
func WithRoute(route func(c *gin.Context) string) Option {
	return func(o *options) { o.route = route }
}

// Middleware returns gin middleware that gives every request an ID (from
// the request's header when valid, else a new UUID; echoed in the
// response, stored in the request's context: dockerflow.RequestID(
// c.Request.Context())) and logs one request.summary for it.
//
// The summary's code is the status gin sent. When that is a 5xx and
// handlers attached errors with c.Error (c.AbortWithError), the summary
// is an error entry with their text, errno the status, as a panic's is. When a
// handler panics, the summary is logged at error level with errno 500,
// the panic's text and its stack, and the panic goes on to the recovery
// in front: use Recovery (or gin's own).
func Middleware(svc *dockerflow.Service, opts ...Option) gin.HandlerFunc {
	o := options{route: (*gin.Context).FullPath}
	for _, opt := range opts {
		opt(&o)
	}
	kit := svc.Adapter()
	return func(c *gin.Context) {
		if o.skip != nil && o.skip(c) {
			c.Next()
			return
		}
		req, t := kit.Track(c.Request, c.Writer.Header())
		c.Request = req
		if t.Writer(c.Writer) != http.ResponseWriter(c.Writer) { // a websocket: stopping must know if it is taken over
			w := c.Writer
			c.Writer = &hijackWatcher{ResponseWriter: w, t: t}
			defer func() { c.Writer = w }()
		}
		defer func() {
			if v := recover(); v != nil {
				t.SetRoute(o.route(c))
				t.Panicked(sentStatus(c), v)
				panic(v)
			}
		}()
		if ep := kit.Intercept(req); ep != "" {
			EndpointHandler(svc, ep)(c) // gin answers methods its Any does not cover 404
			c.Abort()
		} else {
			c.Next()
		}
		t.SetRoute(o.route(c))
		t.ResponseSize(int64(c.Writer.Size())) // -1, nothing written, is 0
		status := c.Writer.Status()
		if len(c.Errors) > 0 && status >= 500 {
			t.Failed(status, strings.Join(c.Errors.Errors(), "; "))
		} else {
			t.Done(status)
		}
	}
}

// sentStatus is the status already sent, 0 if nothing was.
func sentStatus(c *gin.Context) int {
	if c.Writer.Written() {
		return c.Writer.Status()
	}
	return 0
}

// Recovery answers 500 to a request whose handler panicked, as
// gin.Recovery does, but writes nothing to stderr. The panic is logged
// once, with its stack, in the request's mozlog summary, in either order:
// Middleware after Recovery (the usual order) logs it and passes it on;
// Middleware before it is told by Recovery before it answers.
//
//	r.Use(dockerflowgin.Recovery(svc), dockerflowgin.Middleware(svc))
//
// The 500 carries Cache-Control: no-store, the request ID and the
// security headers (dockerflow.Adapter.ResetHeader), and none of the other headers
// the handler had set. When the handler had already sent its status, or
// panicked with http.ErrAbortHandler, the connection is cut instead, as
// net/http does.
//
// It is written here rather than on gin.CustomRecoveryWithWriter, whose
// behaviour changed between gin releases: from v1.11 it swallows a panic
// with http.ErrAbortHandler, EPIPE or ECONNRESET (answering 200 with
// nothing, the summary never told), where net/http cuts the connection.
func Recovery(svc *dockerflow.Service) gin.HandlerFunc {
	kit := svc.Adapter()
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				recovered(kit, c, v)
			}
		}()
		c.Next()
	}
}

// recovered answers a request whose handler panicked with v.
func recovered(kit dockerflow.Adapter, c *gin.Context, v any) {
	t := kit.Tracker(c.Request.Context())
	if t != nil {
		t.Panicked(sentStatus(c), v) // Middleware is in front: log the panic here, with its stack
	}
	if v == http.ErrAbortHandler || c.Writer.Written() {
		panic(http.ErrAbortHandler) // too late for a 500: cut the answer short
	}
	h := c.Writer.Header()
	if t == nil { // else the tracker has reset the headers
		kit.ResetHeader(h)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	c.String(http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError)+"\n")
	c.Abort()
}

// hijackWatcher tells the tracker when the handler takes over the
// connection (a websocket).
type hijackWatcher struct {
	gin.ResponseWriter
	t *dockerflow.Tracker
}

func (w *hijackWatcher) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := w.ResponseWriter.Hijack()
	if err == nil {
		w.t.Hijacked()
	}
	return conn, rw, err
}
