package dockerflowchi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func TestConformance(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
		dockerflowchi.Register(r, svc)
		r.Handle("/*", app)
		return r
	})
}

// The reverse order gives the same answers and summaries: a panic is
// logged once, with its stack, as an error.
func TestConformanceRecovererInside(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Use(dockerflowchi.Middleware(svc), dockerflowchi.Recoverer(svc))
		dockerflowchi.Register(r, svc)
		r.Handle("/*", app)
		return r
	})
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

// What is chi's own: route patterns, groups, sub-routers, prefixes, and
// patterns of the application's that could catch the endpoints' paths.
func TestChiRouting(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	teapot := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }

	r := chi.NewRouter()
	r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
	dockerflowchi.Register(r, svc)
	r.Get("/users/{id}", teapot)
	r.Get("/{page}", teapot) // must not hide the endpoints
	r.Route("/api", func(api chi.Router) {
		api.Get("/items/{item}/parts/{part}", teapot)
	})
	r.Group(func(g chi.Router) {
		g.Get("/grouped", teapot)
	})
	r.Mount("/ops", dockerflowchi.Routes(svc))

	for _, tc := range []struct {
		path  string
		code  int
		route string
	}{
		{"/__lbheartbeat__", 200, "/__lbheartbeat__"},
		{"/__heartbeat__/", 200, "/__heartbeat__"}, // chi trims the slash
		{"/users/42", 418, "/users/{id}"},
		{"/about", 418, "/{page}"},
		{"/api/items/7/parts/9", 418, "/api/items/{item}/parts/{part}"},
		{"/grouped", 418, "/grouped"},
		{"/ops/__heartbeat__", 200, "/ops/__heartbeat__"},
		{"/ops/__version__/", 404, "/ops/__version__"},
		{"/no/such/thing", 404, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			log.Reset()
			if rec := get(r, tc.path); rec.Code != tc.code {
				t.Errorf("status %d, want %d", rec.Code, tc.code)
			}
			s := log.Summaries()
			if len(s) != 1 || s[0].Route != tc.route || s[0].Path != tc.path || s[0].Code != tc.code {
				t.Errorf("summaries %+v, want one with route %q", s, tc.route)
			}
		})
	}
}

// /__error__ is registered only when enabled: otherwise the path is the
// application's.
func TestErrorEndpointRegistration(t *testing.T) {
	for enabled, want := range map[bool]int{false: 418, true: 500} {
		svc, _ := dockerflowtest.NewService(t, dockerflow.Config{EnableErrorEndpoint: enabled})
		r := chi.NewRouter()
		r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
		dockerflowchi.Register(r, svc)
		r.Get("/{page}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
		if rec := get(r, "/__error__"); rec.Code != want {
			t.Errorf("enabled %v: status %d, want %d", enabled, rec.Code, want)
		}
	}
}

// The request ID is dockerflow's, echoed and in the context, whether or
// not chi's middleware.RequestID stays in front (which makes IDs of its
// own: the adapter no longer imports chi's middleware, and so no longer
// makes the two agree).
func TestChiRequestID(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	for name, mws := range map[string][]func(http.Handler) http.Handler{
		"alone":                      {dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc)},
		"after-middleware.RequestID": {middleware.RequestID, dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc)},
	} {
		r := chi.NewRouter()
		r.Use(mws...)
		r.Get("/ids", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(dockerflow.RequestID(r.Context())))
		})
		for _, header := range []string{"", "given-id"} {
			req := httptest.NewRequest("GET", "/ids", nil)
			if header != "" {
				req.Header.Set("X-Request-ID", header)
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			ours := rec.Body.String()
			if ours == "" || ours != rec.Header().Get("X-Request-ID") || (header != "" && ours != header) {
				t.Errorf("%s, header %q: dockerflow %q, response %q", name, header, ours, rec.Header().Get("X-Request-ID"))
			}
		}
	}
}

// dockerflowhttp's options apply: a skipped request gets no ID and no
// summary.
func TestChiSkipper(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	r := chi.NewRouter()
	r.Use(dockerflowchi.Middleware(svc, dockerflowhttp.WithSkipper(func(r *http.Request) bool { return r.URL.Path == "/skipped" })))
	r.Get("/{page}", func(w http.ResponseWriter, r *http.Request) {})
	get(r, "/skipped")
	get(r, "/kept")
	if s := log.Summaries(); len(s) != 1 || s[0].Path != "/kept" || s[0].Route != "/{page}" {
		t.Errorf("summaries %+v, want /kept's only", s)
	}
}

// CONNECT x:443 names no path: chi took it for "/" and answered a GET-only
// route's 405 with Allow: GET (issue 33); the middleware answers it 404,
// as on every adapter.
func TestConnectWithARootRoute(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	r := chi.NewRouter()
	r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
	dockerflowchi.Register(r, svc)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {})
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("CONNECT", "x:443", nil))
	if rec.Code != http.StatusNotFound || rec.Header().Get("Allow") != "" {
		t.Errorf("CONNECT x:443: %d, Allow %q; want 404", rec.Code, rec.Header().Get("Allow"))
	}
}
