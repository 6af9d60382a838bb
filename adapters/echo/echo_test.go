package dockerflowecho_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	dockerflowecho "github.com/dockerflow-go/dockerflow/adapters/echo"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// quietRecover is echo's Recover without the stack print (the suite
// panics on purpose).
func quietRecover() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true})
}

func TestConformance(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		e := echo.New()
		e.Use(dockerflowecho.Recover(svc), dockerflowecho.Middleware(svc))
		dockerflowecho.Register(e, svc)
		e.Any("/*", echo.WrapHandler(app))
		return e
	})
}

// The reverse order gives the same answers and summaries: a panic is
// logged once, with its stack, as an error.
func TestConformanceRecoverInside(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		e := echo.New()
		e.Use(dockerflowecho.Middleware(svc), dockerflowecho.Recover(svc))
		dockerflowecho.Register(e, svc)
		e.Any("/*", echo.WrapHandler(app))
		return e
	})
}

// countErrors wraps e's HTTPErrorHandler to count its calls.
func countErrors(e *echo.Echo) *atomic.Int64 {
	var handled atomic.Int64
	next := e.HTTPErrorHandler
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		handled.Add(1)
		next(err, c)
	}
	return &handled
}

func do(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

// What is echo's own: route paths, groups, prefixes, HEAD, HTTPError
// returns, the Skipper, and routes that could catch the endpoints' paths.
func TestEchoRouting(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	e := echo.New()
	handled := countErrors(e)
	e.Use(quietRecover(), dockerflowecho.MiddlewareWithConfig(svc, dockerflowecho.MiddlewareConfig{
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path == "/skipped" },
	}))
	dockerflowecho.Register(e, svc)
	teapot := func(c echo.Context) error { return c.NoContent(http.StatusTeapot) }
	e.GET("/users/:id", teapot)
	e.GET("/:page", teapot) // must not hide the endpoints
	e.GET("/forbidden", func(c echo.Context) error { return echo.NewHTTPError(http.StatusForbidden, "nope") })
	e.GET("/failing", func(c echo.Context) error { return errors.New("plain error") })
	e.GET("/skipped", teapot)
	ops := e.Group("/ops")
	dockerflowecho.Register(ops, svc)
	api := e.Group("/api")
	api.GET("/items/:item", teapot)

	for _, tc := range []struct {
		method, path string
		code         int
		route        string
	}{
		{"GET", "/__lbheartbeat__", 200, "/__lbheartbeat__"},
		{"HEAD", "/__heartbeat__", 200, "/__heartbeat__"},
		{"GET", "/__version__/", 404, "/__version__"},
		{"GET", "/users/42", 418, "/users/:id"},
		{"GET", "/about", 418, "/:page"},
		{"GET", "/api/items/7", 418, "/api/items/:item"},
		{"GET", "/ops/__heartbeat__", 200, "/ops/__heartbeat__"},
		{"GET", "/forbidden", 403, "/forbidden"},
		{"GET", "/failing", 500, "/failing"},
		{"POST", "/users/42", 405, "/users/:id"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			log.Reset()
			if rec := do(e, tc.method, tc.path); rec.Code != tc.code {
				t.Errorf("status %d, want %d", rec.Code, tc.code)
			}
			s := log.Summaries()
			if len(s) != 1 || s[0].Route != tc.route || s[0].Path != tc.path || s[0].Code != tc.code {
				t.Errorf("summaries %+v, want one with code %d, route %q", s, tc.code, tc.route)
			}
			if tc.code >= 400 && s[0].Errno != tc.code {
				t.Errorf("errno %d, want %d", s[0].Errno, tc.code)
			}
		})
	}
	log.Reset()
	if rec := do(e, "GET", "/skipped"); rec.Code != 418 || rec.Header().Get("X-Request-ID") != "" || len(log.Summaries()) != 0 {
		t.Errorf("skipped request: %d, rid %q, %d summaries", rec.Code, rec.Header().Get("X-Request-ID"), len(log.Summaries()))
	}
	if handled.Load() == 0 {
		t.Error("errors never reached the HTTPErrorHandler")
	}
}

// The zero MiddlewareConfig works.
func TestZeroConfig(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	e := echo.New()
	e.Use(dockerflowecho.MiddlewareWithConfig(svc, dockerflowecho.MiddlewareConfig{}))
	e.GET("/x", func(c echo.Context) error { return c.String(200, dockerflow.RequestID(c.Request().Context())) })
	rec := do(e, "GET", "/x")
	if rec.Body.String() == "" || rec.Body.String() != rec.Header().Get("X-Request-ID") || len(log.Summaries()) != 1 {
		t.Errorf("body %q, header %q, %d summaries", rec.Body, rec.Header().Get("X-Request-ID"), len(log.Summaries()))
	}
}

// A handler's error reaches the HTTPErrorHandler once, not once by the
// middleware and again by echo.
func TestHTTPErrorHandlerRunsOnce(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	e := echo.New()
	handled := countErrors(e)
	e.Use(quietRecover(), dockerflowecho.Middleware(svc))
	e.GET("/failing", func(c echo.Context) error { return errors.New("plain error") })
	e.GET("/forbidden", func(c echo.Context) error { return echo.NewHTTPError(http.StatusForbidden, "nope") })
	for path, want := range map[string]int{"/failing": 500, "/forbidden": 403} {
		handled.Store(0)
		log.Reset()
		if rec := do(e, "GET", path); rec.Code != want {
			t.Errorf("%s: status %d, want %d", path, rec.Code, want)
		}
		if n := handled.Load(); n != 1 {
			t.Errorf("%s: the HTTPErrorHandler ran %d times, want 1", path, n)
		}
	}
	// An unexpected error is logged as a failure, with its text.
	log.Reset()
	do(e, "GET", "/failing")
	if s := log.Summaries(); len(s) != 1 || s[0].Level != dockerflow.LevelError || s[0].Error != "plain error" {
		t.Errorf("summaries %+v, want one at error level with the error", s)
	}
	// Its text is redacted, as check messages are.
	e.GET("/leaky", func(c echo.Context) error { return errors.New("dial postgres://app:S3CRETPW2@db:5432/x failed") })
	log.Reset()
	do(e, "GET", "/leaky")
	if s := log.Summaries(); len(s) != 1 || s[0].Error != "dial postgres://app:xxxxx@db:5432/x failed" {
		t.Errorf("summaries %+v, want the error redacted", s)
	}
}

// MiddlewareConfig.Route replaces the route echo matched.
func TestRouteOption(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	e := echo.New()
	e.Use(dockerflowecho.MiddlewareWithConfig(svc, dockerflowecho.MiddlewareConfig{
		Route: func(c echo.Context) string { return "custom:" + c.Path() },
	}))
	e.GET("/users/:id", func(c echo.Context) error { return nil })
	do(e, "GET", "/users/7")
	if s := log.Summaries(); len(s) != 1 || s[0].Route != "custom:/users/:id" {
		t.Errorf("summaries %+v", s)
	}
}
