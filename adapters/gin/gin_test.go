package dockerflowgin_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	dockerflowgin "github.com/dockerflow-go/dockerflow/adapters/gin"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/gin-gonic/gin"
)

func init() { gin.SetMode(gin.TestMode) }

func TestConformance(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := gin.New()
		r.Use(dockerflowgin.Recovery(svc), dockerflowgin.Middleware(svc))
		dockerflowgin.Register(r, svc)
		// gin cannot put a catch-all beside the endpoints: the app is
		// NoRoute, where gin has set 404 already; an app writing without
		// WriteHeader means 200, as on net/http.
		r.NoRoute(func(c *gin.Context) {
			c.Status(http.StatusOK)
			app.ServeHTTP(c.Writer, c.Request)
		})
		return r
	})
}

// The reverse order gives the same answers and summaries: a panic is
// logged once, with its stack, as an error.
func TestConformanceRecoveryAfter(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := gin.New()
		r.Use(dockerflowgin.Middleware(svc), dockerflowgin.Recovery(svc))
		dockerflowgin.Register(r, svc)
		// gin cannot put a catch-all beside the endpoints: the app is
		// NoRoute, where gin has set 404 already; an app writing without
		// WriteHeader means 200, as on net/http.
		r.NoRoute(func(c *gin.Context) {
			c.Status(http.StatusOK)
			app.ServeHTTP(c.Writer, c.Request)
		})
		return r
	})
}

func do(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

// What is gin's own: FullPath routes, groups, HandleMethodNotAllowed and
// RedirectTrailingSlash on and off, c.Error, gin's own Recovery, the
// skipper, and routes that could catch the endpoints' paths.
func TestGinRouting(t *testing.T) {
	type row struct {
		method, path string
		code         int
		route        string
		level        dockerflow.Level
	}
	common := []row{
		{"GET", "/__lbheartbeat__", 200, "/__lbheartbeat__", dockerflow.LevelInfo},
		{"HEAD", "/__heartbeat__", 200, "/__heartbeat__", dockerflow.LevelInfo},
		{"POST", "/__version__", 405, "/__version__", dockerflow.LevelInfo},
		{"GET", "/__version__/", 404, "/__version__", dockerflow.LevelInfo},
		{"GET", "/users/42", 418, "/users/:id", dockerflow.LevelInfo},
		{"GET", "/about", 418, "/:page", dockerflow.LevelInfo},
		{"GET", "/api/items/7", 418, "/api/items/:item", dockerflow.LevelInfo},
		{"GET", "/ops/__heartbeat__", 200, "/ops/__heartbeat__", dockerflow.LevelInfo},
		{"GET", "/forbidden", 403, "/forbidden", dockerflow.LevelInfo},
		{"GET", "/failing", 503, "/failing", dockerflow.LevelError},
		{"GET", "/panicking", 500, "/panicking", dockerflow.LevelError},
		{"GET", "/nowhere/at/all", 404, "", dockerflow.LevelInfo},
	}
	for _, tc := range []struct {
		name                       string
		methodNotAllowed, redirect bool
		ginRecovery                bool
		rows                       []row
	}{
		{"defaults", false, true, false, append(common,
			row{"POST", "/users/42", 404, "", dockerflow.LevelInfo},
			// gin redirects to /users/42 before any middleware runs: no
			// request ID, no summary (see the package doc).
			row{"GET", "/users/42/", 301, "-", dockerflow.LevelInfo},
		)},
		{"HandleMethodNotAllowed", true, true, false, append(common,
			row{"POST", "/users/42", 405, "", dockerflow.LevelInfo},
		)},
		{"no RedirectTrailingSlash", false, false, false, append(common,
			row{"GET", "/users/42/", 404, "", dockerflow.LevelInfo},
		)},
		{"gin.Recovery", false, true, true, common},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
			r := gin.New()
			r.HandleMethodNotAllowed = tc.methodNotAllowed
			r.RedirectTrailingSlash = tc.redirect
			recovery := dockerflowgin.Recovery(svc)
			if tc.ginRecovery {
				recovery = gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, _ any) { c.AbortWithStatus(500) })
			}
			r.Use(recovery, dockerflowgin.Middleware(svc, dockerflowgin.WithSkipper(func(c *gin.Context) bool {
				return c.Request.URL.Path == "/skipped"
			})))
			dockerflowgin.Register(r, svc)
			teapot := func(c *gin.Context) { c.Status(http.StatusTeapot) }
			r.GET("/users/:id", teapot)
			r.GET("/:page", teapot) // must not hide the endpoints
			r.GET("/forbidden", func(c *gin.Context) { _ = c.AbortWithError(http.StatusForbidden, errors.New("nope")) })
			r.GET("/failing", func(c *gin.Context) { _ = c.AbortWithError(http.StatusServiceUnavailable, errors.New("database down")) })
			r.GET("/leaky", func(c *gin.Context) {
				_ = c.AbortWithError(http.StatusServiceUnavailable, errors.New("dial postgres://app:S3CRETPW2@db:5432/x failed"))
			})
			r.GET("/panicking", func(c *gin.Context) { panic("boom") })
			r.GET("/skipped", teapot)
			dockerflowgin.Register(r.Group("/ops"), svc)
			r.Group("/api").GET("/items/:item", teapot)

			for _, row := range tc.rows {
				log.Reset()
				if rec := do(r, row.method, row.path); rec.Code != row.code {
					t.Errorf("%s %s: status %d, want %d", row.method, row.path, rec.Code, row.code)
				}
				s := log.Summaries()
				if row.route == "-" {
					if len(s) != 0 {
						t.Errorf("%s %s: summaries %+v, want none", row.method, row.path, s)
					}
					continue
				}
				if len(s) != 1 || s[0].Route != row.route || s[0].Path != row.path || s[0].Code != row.code || s[0].Level != row.level {
					t.Errorf("%s %s: summaries %+v, want one with code %d, route %q, level %v", row.method, row.path, s, row.code, row.route, row.level)
					continue
				}
				errno := row.code // the status sent, failures included (500 is for panics)
				if row.code >= 400 && s[0].Errno != errno {
					t.Errorf("%s %s: errno %d, want %d", row.method, row.path, s[0].Errno, errno)
				}
			}
			log.Reset()
			if rec := do(r, "GET", "/failing"); rec.Code != 503 || log.Summaries()[0].Error != "database down" {
				t.Errorf("c.Error with a 5xx: %d, summary error %q", rec.Code, log.Summaries()[0].Error)
			}
			log.Reset()
			if do(r, "GET", "/leaky"); log.Summaries()[0].Error != "dial postgres://app:xxxxx@db:5432/x failed" {
				t.Errorf("c.Error's text is not redacted: %q", log.Summaries()[0].Error)
			}
			log.Reset()
			if rec := do(r, "GET", "/skipped"); rec.Code != 418 || rec.Header().Get("X-Request-ID") != "" || len(log.Summaries()) != 0 {
				t.Errorf("skipped request: %d, rid %q, %d summaries", rec.Code, rec.Header().Get("X-Request-ID"), len(log.Summaries()))
			}
		})
	}
}

// The request's context carries the ID, and WithRoute overrides gin's.
func TestContextAndRoute(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	r := gin.New()
	r.Use(dockerflowgin.Middleware(svc, dockerflowgin.WithRoute(func(c *gin.Context) string { return "custom:" + c.FullPath() })))
	r.GET("/x/:y", func(c *gin.Context) { c.String(200, dockerflow.RequestID(c.Request.Context())) })
	rec := do(r, "GET", "/x/1")
	s := log.Summaries()
	if rec.Body.String() == "" || rec.Body.String() != rec.Header().Get("X-Request-ID") || len(s) != 1 || s[0].Route != "custom:/x/:y" {
		t.Errorf("body %q, header %q, summaries %+v", rec.Body, rec.Header().Get("X-Request-ID"), s)
	}
}

// With ContextWithFallback, the gin.Context itself carries the ID.
func TestContextWithFallback(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	r := gin.New()
	r.ContextWithFallback = true
	r.Use(dockerflowgin.Middleware(svc))
	r.GET("/x", func(c *gin.Context) { c.String(200, dockerflow.RequestID(c)) })
	if rec := do(r, "GET", "/x"); rec.Body.String() == "" || rec.Body.String() != rec.Header().Get("X-Request-ID") {
		t.Errorf("dockerflow.RequestID(c) = %q, header %q", rec.Body, rec.Header().Get("X-Request-ID"))
	}
}
