package dockerflowecho

import (
	"errors"
	"fmt"
	"net/http"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Router is what endpoints are registered on: an *echo.Echo or an
// *echo.Group.
type Router interface {
	Any(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route
}

var (
	_ Router = (*echo.Echo)(nil)
	_ Router = (*echo.Group)(nil)
)

// Register adds the Dockerflow endpoints of svc to r, each with and
// without a trailing slash, for every method (other methods than GET and
// HEAD get 405 with Allow). On a group they are served under its prefix.
func Register(r Router, svc *dockerflow.Service) {
	for _, ep := range svc.Adapter().Routes() {
		h := EndpointHandler(svc, ep)
		r.Any(string(ep), h)
		r.Any(string(ep)+"/", h)
	}
}

// EndpointHandler returns the echo handler of one endpoint, to serve it at
// a path of the application's choosing (dockerflowhttp.EndpointHandler is
// its net/http twin). /__error__ returns
// dockerflow.ErrErrorEndpoint, for echo's HTTPErrorHandler to answer 500.
func EndpointHandler(svc *dockerflow.Service, ep dockerflow.Endpoint) echo.HandlerFunc {
	kit := svc.Adapter()
	return func(c echo.Context) error { return kit.Respond(c.Response(), c.Request(), ep) }
}

// MiddlewareConfig configures the request middleware. The zero value works.
type MiddlewareConfig struct {
	// Skipper skips the middleware for the requests it returns true for:
	// they get no request ID and no summary.
	Skipper middleware.Skipper
	// Route gives the summary's route once the handler has returned;
	// c.Path() ("/users/:id") when nil.
	Route func(c echo.Context) string
}

// DefaultMiddlewareConfig skips nothing.
var DefaultMiddlewareConfig = MiddlewareConfig{Skipper: middleware.DefaultSkipper}

// Middleware returns MiddlewareWithConfig(svc, DefaultMiddlewareConfig).
func Middleware(svc *dockerflow.Service) echo.MiddlewareFunc {
	return MiddlewareWithConfig(svc, DefaultMiddlewareConfig)
}

// MiddlewareWithConfig returns middleware that gives every request an ID
// (from the request's header when valid, else a new UUID; echoed in the
// response, stored in the request's context) and logs one request.summary
// for it, with the matched route path (c.Path(), "/users/:id") as route.
//
// When the handler returns an error, the middleware hands it to c.Error,
// as echo's RequestLogger does with HandleError, so that the summary has
// the status echo's HTTPErrorHandler sent, and returns nil: the handler
// runs once per error. An error that is not an *echo.HTTPError and was
// answered with a 5xx is logged at error level with its text, as a panic
// is. When the handler panics, the summary is logged at error level with
// errno 500, the panic's text and its stack, and the panic goes on to the
// recovery in front: Recover (echo's own Recover works too, with its
// stack printing off so that stdout stays mozlog, but in the reverse
// order it leaves no stack in the summary):
//
//	e.Use(dockerflowecho.Recover(svc), dockerflowecho.Middleware(svc))
//
// A panic after the status was sent passes on as http.ErrAbortHandler,
// so that the connection is cut rather than the answer ended as if it
// were whole.
func MiddlewareWithConfig(svc *dockerflow.Service, cfg MiddlewareConfig) echo.MiddlewareFunc {
	if cfg.Skipper == nil {
		cfg.Skipper = middleware.DefaultSkipper
	}
	if cfg.Route == nil {
		cfg.Route = echo.Context.Path
	}
	kit := svc.Adapter()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.Skipper(c) {
				return next(c)
			}
			res := c.Response()
			req, t := kit.Track(c.Request(), res.Header())
			c.SetRequest(req)
			if w := t.Writer(res.Writer); w != res.Writer { // a websocket: stopping must know if it is taken over
				defer func(prev http.ResponseWriter) { res.Writer = prev }(res.Writer)
				res.Writer = w
			}
			defer func() {
				if v := recover(); v != nil {
					t.SetRoute(cfg.Route(c))
					t.Panicked(sentStatus(res), v)
					if res.Committed {
						// echo's error handler would end the answer as if
						// it were whole: cut the connection instead.
						panic(http.ErrAbortHandler)
					}
					panic(v)
				}
			}()
			var err error
			if ep := kit.Intercept(req); ep != "" {
				err = EndpointHandler(svc, ep)(c) // not echo's 405, whose Allow lists every method
			} else {
				err = next(c)
			}
			if err != nil {
				// Handled here, once, so that the summary has the status
				// sent; returned on, echo would run its HTTPErrorHandler
				// a second time.
				c.Error(err)
			}
			t.SetRoute(cfg.Route(c))
			t.ResponseSize(res.Size)
			if err != nil && res.Status >= 500 && !isHTTPError(err) {
				t.Failed(res.Status, err.Error()) // an unexpected error, as a panic is
			} else {
				t.Done(res.Status)
			}
			return nil
		}
	}
}

// isHTTPError reports whether err is (or wraps) an *echo.HTTPError: an
// answer the handler chose. A function of its own so that the target of
// errors.As escapes only when there is an error.
func isHTTPError(err error) bool {
	var he *echo.HTTPError
	return errors.As(err, &he)
}

// sentStatus is the status already sent, 0 if nothing was.
func sentStatus(res *echo.Response) int {
	if res.Committed {
		return res.Status
	}
	return 0
}

// Recover returns middleware that turns a panic into a 500 answer through
// echo's HTTPErrorHandler (an *echo.HTTPError whose Internal error is the
// panic's), as echo's Recover does, but prints nothing. The panic is
// logged once, with its stack, in the request's mozlog summary, in either
// order: Middleware inside Recover (the usual order) logs it and passes it
// on; Middleware outside is told by Recover before it answers.
//
// The 500 carries Cache-Control: no-store, the request ID and the
// security headers (dockerflow.Adapter.ResetHeader), and none of the other headers
// the handler had set. When the status was already sent, or the handler
// panicked with http.ErrAbortHandler, the connection is cut instead, as
// net/http does.
func Recover(svc *dockerflow.Service) echo.MiddlewareFunc {
	kit := svc.Adapter()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				res := c.Response()
				t := kit.Tracker(c.Request().Context())
				if t != nil {
					t.Panicked(sentStatus(res), v) // Middleware is outside: log the panic here, with its stack
				}
				if v == http.ErrAbortHandler || res.Committed {
					panic(http.ErrAbortHandler) // too late for a 500: cut the answer short
				}
				if t == nil { // else the tracker has reset the headers
					kit.ResetHeader(res.Header())
				}
				perr, ok := v.(error)
				if !ok {
					perr = fmt.Errorf("%v", v)
				}
				err = echo.NewHTTPError(http.StatusInternalServerError).SetInternal(perr)
			}()
			return next(c)
		}
	}
}
