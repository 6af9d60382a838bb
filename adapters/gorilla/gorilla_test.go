package dockerflowgorilla_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	dockerflowgorilla "github.com/dockerflow-go/dockerflow/adapters/gorilla"
	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/gorilla/mux"
)

func TestConformance(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := mux.NewRouter()
		r.Use(dockerflowgorilla.Recover(svc), dockerflowgorilla.Middleware(svc))
		dockerflowgorilla.Register(r, svc)
		r.PathPrefix("/").Handler(app)
		return r
	})
}

// The reverse order gives the same answers and summaries: a panic is
// logged once, with its stack, as an error.
func TestConformanceRecoverInside(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := mux.NewRouter()
		r.Use(dockerflowgorilla.Middleware(svc), dockerflowgorilla.Recover(svc))
		dockerflowgorilla.Register(r, svc)
		r.PathPrefix("/").Handler(app)
		return r
	})
}

// The middleware around the router instead (dockerflowhttp's), with
// Middleware inside only to give the route.
func TestConformanceOutside(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		r := mux.NewRouter()
		r.Use(dockerflowgorilla.Middleware(svc))
		dockerflowgorilla.Register(r, svc)
		r.PathPrefix("/").Handler(app)
		return dockerflowhttp.Recover(svc)(dockerflowhttp.Middleware(svc)(r))
	})
}

func do(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

// What is gorilla's own: path templates with patterns, subrouters,
// method matchers, StrictSlash, NotFoundHandler and
// MethodNotAllowedHandler, SkipClean, encoded paths.
func TestGorillaRouting(t *testing.T) {
	teapot := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }
	type row struct {
		method, target string
		code           int
		route          string
	}
	for _, tc := range []struct {
		name  string
		build func(r *mux.Router)
		rows  []row
	}{
		{"templates and subrouters", func(r *mux.Router) {
			r.HandleFunc("/type/{type:[a-z]{1,12}}/{value}", teapot).Methods("GET")
			api := r.PathPrefix("/api").Subrouter()
			api.HandleFunc("/items/{id:[0-9]+}", teapot)
		}, []row{
			{"GET", "/type/ip/10.0.0.1", 418, "/type/{type:[a-z]{1,12}}/{value}"},
			{"GET", "/type/email/ann@example.com", 418, "/type/{type:[a-z]{1,12}}/{value}"},
			{"GET", "/api/items/7", 418, "/api/items/{id:[0-9]+}"},
			{"GET", "/api/items/x", 404, ""},
			{"GET", "/__heartbeat__", 200, "/__heartbeat__"},
			{"GET", "/__lbheartbeat__/", 200, "/__lbheartbeat__"},
			{"POST", "/__version__", 405, "/__version__"},
			{"GET", "/nowhere", 404, ""},
		}},
		{"method matchers", func(r *mux.Router) {
			r.HandleFunc("/notes/{name}", teapot).Methods("PUT")
		}, []row{
			{"PUT", "/notes/a", 418, "/notes/{name}"},
			{"GET", "/notes/a", 405, ""},
		}},
		{"own not-found and method-not-allowed handlers", func(r *mux.Router) {
			r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(410) })
			r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(409) })
			r.HandleFunc("/only-put", teapot).Methods("PUT")
		}, []row{
			{"GET", "/gone", 410, ""},
			{"GET", "/only-put", 409, ""},
		}},
		{"StrictSlash", func(r *mux.Router) {
			r.StrictSlash(true)
			r.HandleFunc("/slashed/", teapot)
		}, []row{
			{"GET", "/slashed/", 418, "/slashed/"},
			{"GET", "/slashed", 301, "/slashed/"}, // gorilla's redirect, a route of its own
		}},
		{"SkipClean", func(r *mux.Router) {
			r.SkipClean(true)
			r.HandleFunc("/files/{path:.*}", teapot)
		}, []row{
			{"GET", "/files//a/../b", 418, "/files/{path:.*}"},
		}},
		{"UseEncodedPath", func(r *mux.Router) {
			r.UseEncodedPath()
			r.HandleFunc("/users/{name}", teapot)
		}, []row{
			{"GET", "/users/a%2Fb", 418, "/users/{name}"},
			{"GET", "/%5F_heartbeat__", 404, ""}, // not the endpoint
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
			r := mux.NewRouter()
			tc.build(r)
			r.Use(dockerflowgorilla.Recover(svc), dockerflowgorilla.Middleware(svc))
			dockerflowgorilla.Register(r, svc)
			for _, row := range tc.rows {
				log.Reset()
				rec := do(r, row.method, row.target)
				sums := log.Summaries()
				if rec.Code != row.code || len(sums) != 1 || sums[0].Route != row.route || sums[0].Code != row.code {
					t.Errorf("%s %s: %d, summaries %+v; want %d with route %q", row.method, row.target, rec.Code, sums, row.code, row.route)
				}
				if rec.Header().Get("X-Request-ID") == "" {
					t.Errorf("%s %s: no request ID", row.method, row.target)
				}
			}
		})
	}
}

// Around the router, dockerflowhttp's middleware tracks every request;
// the unmatched ones (gorilla's 404 and 405) get one summary, not two.
func TestOuterMiddlewareOneSummary(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	r := mux.NewRouter()
	r.HandleFunc("/only-put", func(http.ResponseWriter, *http.Request) {}).Methods("PUT")
	r.Use(dockerflowgorilla.Middleware(svc))
	dockerflowgorilla.Register(r, svc)
	h := dockerflowhttp.Middleware(svc)(r)
	r.HandleFunc("/type/{type}/{value}", func(http.ResponseWriter, *http.Request) {})
	for _, tc := range []struct {
		method, target string
		code           int
		route          string
	}{
		{"GET", "/nowhere", 404, ""},
		{"GET", "/only-put", 405, ""},
		{"GET", "/type/ip/10.0.0.1", 200, "/type/{type}/{value}"}, // the outer middleware sees no pattern: the inner one's stays
	} {
		log.Reset()
		rec := do(h, tc.method, tc.target)
		if sums := log.Summaries(); rec.Code != tc.code || len(sums) != 1 || sums[0].Route != tc.route {
			t.Errorf("%s %s: %d, summaries %+v; want %d, one, route %q", tc.method, tc.target, rec.Code, sums, tc.code, tc.route)
		}
	}
}
