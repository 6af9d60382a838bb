package dockerflowtest

// The endpoints as such: /__lbheartbeat__, methods, /__error__, encoded
// spellings, and the route every adapter logs for them.

import (
	"net/http"
	"sync/atomic"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

func testLBHeartbeat(t *testing.T, nh NewHandler) {
	var runs atomic.Int64
	h := start(t, nh, dockerflow.Config{}, nil, counter("db", &runs, dockerflow.Error("x.E1", "down")))
	for _, tc := range []struct{ method, path string }{
		{method: "GET", path: "/__lbheartbeat__"}, {method: "GET", path: "/__lbheartbeat__/"}, {method: "HEAD", path: "/__lbheartbeat__"},
	} {
		rec := h.do(tc.method, tc.path)
		h.want(rec, 200, "", map[string]string{"Cache-Control": "no-store"})
	}
	if n := runs.Load(); n != 0 {
		t.Errorf("lbheartbeat ran the checks %d times, want 0", n)
	}
}

func testMethods(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{EnableErrorEndpoint: true}, nil)
	for _, path := range []string{"/__version__", "/__heartbeat__", "/__lbheartbeat__/", "/__error__"} {
		// Methods the frameworks know, and ones they do not (WebDAV's,
		// made up, lower case): every adapter answers as net/http does.
		for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO", "get", "head"} {
			t.Run(method+path, func(t *testing.T) {
				h := *h
				h.t = t
				rec := h.do(method, path)
				hdr := textHeaders("method not allowed")
				hdr["Allow"] = "GET, HEAD"
				h.want(rec, 405, "method not allowed", hdr)
			})
		}
	}
	if ev := h.log.Events(mozlog.TypeError); len(ev) != 0 {
		t.Errorf("405 answers of /__error__ logged %d error events, want 0", len(ev))
	}
}

func testErrorEndpoint(t *testing.T, nh NewHandler) {
	t.Run("off-by-default", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, nil)
		rec := h.do("GET", "/__error__")
		if rec.Code != 404 {
			t.Errorf("disabled /__error__ answered %d, want the app's 404", rec.Code)
		}
		if ev := h.log.Events(mozlog.TypeError); len(ev) != 0 {
			t.Errorf("disabled /__error__ logged %v", ev)
		}
	})
	for _, tc := range []struct {
		name string
		cfg  dockerflow.Config
		env  map[string]string
	}{
		{name: "enabled", cfg: dockerflow.Config{EnableErrorEndpoint: true}},
		{name: "enabled-env", env: map[string]string{"DOCKERFLOW_ENABLE_ERROR_ENDPOINT": "1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nh, tc.cfg, tc.env)
			for _, path := range []string{"/__error__", "/__error__/"} {
				h.log.Reset()
				rec := h.do("GET", path)
				if rec.Code != 500 {
					t.Errorf("%s answered %d, want 500", path, rec.Code)
				}
				if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
					t.Errorf("%s: Cache-Control %q, want no-store: a CDN must not keep a 500", path, cc)
				}
				ev := h.log.Events(mozlog.TypeError)
				if len(ev) != 1 || ev[0].Level != dockerflow.LevelError || ev[0].Msg != "The __error__ endpoint was called" {
					t.Errorf("%s logged %+v, want one error event", path, ev)
				}
				s := h.summary()
				if s.Errno != 500 || s.Code != 500 || s.Path != path || s.Level != dockerflow.LevelError ||
					s.Error != dockerflow.ErrErrorEndpoint.Error() {
					t.Errorf("summary = %+v, want errno 500, code 500, at error level with the error", s)
				}
				// What /__error__ is for: the error reporter hears of it, once.
				if r := h.errors.take(); len(r) != 1 || r[0].Text != dockerflow.ErrErrorEndpoint.Error() || r[0].Summary.Path != path {
					t.Errorf("%s was reported %+v, want once, with its error", path, r)
				}
			}
		})
	}
}

// The endpoints are matched on the raw path, as a proxy's rule written on
// it sees them: a percent-encoded spelling is not an endpoint, on every
// adapter, so such a rule cannot be bypassed.
func testEncodedPaths(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{EnableErrorEndpoint: true}, nil)
	for _, path := range []string{"/%5F_heartbeat__", "/__heartbeat%5F_", "/__lbheartbeat__%2F", "/__error__%2F", "/%5F%5Fversion__",
		"/%2F__heartbeat__", "/%2f__lbheartbeat__"} {
		h.log.Reset()
		if rec := h.do("GET", path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d (Location %q), want the application's 404", path, rec.Code, rec.Header().Get("Location"))
		}
		if ev := h.log.Events(mozlog.TypeError); len(ev) != 0 {
			t.Errorf("%s reached /__error__: %+v", path, ev)
		}
		// Logged as spelled: "/__heartbeat__" would read as a heartbeat
		// that failed.
		if s := h.log.Summaries(); len(s) != 1 || s[0].Path != path {
			t.Errorf("%s: summaries %+v, want one with the path as received", path, s)
		}
	}
}

// A CONNECT request names a host, not a path (CONNECT x:443): every
// adapter answers it 404, as net/http's ServeMux does, with its summary;
// none redirects it (gorilla's path cleaning sent a 301 to //x:443/) or
// answers 405 as if it were a route's.
func testConnect(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{}, nil)
	for _, target := range []string{"x:443", "__heartbeat__:443"} {
		h.log.Reset()
		rec := h.do("CONNECT", target)
		if rec.Code != http.StatusNotFound || rec.Header().Get("Location") != "" || rec.Header().Get("Allow") != "" {
			t.Errorf("CONNECT %s: %d, Location %q, Allow %q; want 404", target, rec.Code, rec.Header().Get("Location"), rec.Header().Get("Allow"))
		}
		if s := h.log.Summaries(); len(s) != 1 || s[0].Code != http.StatusNotFound || s[0].Method != "CONNECT" {
			t.Errorf("CONNECT %s: summaries %+v, want one 404", target, s)
		}
	}
}

// The summary's route for a Dockerflow endpoint is its path without a
// trailing slash, on every adapter, whatever the method.
func testEndpointRoutes(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{EnableErrorEndpoint: true}, nil)
	for _, path := range []string{"/__version__", "/__heartbeat__", "/__lbheartbeat__", "/__error__"} {
		for _, req := range []struct{ method, path string }{{method: "GET", path: path}, {method: "GET", path: path + "/"}, {method: "HEAD", path: path}, {method: "POST", path: path + "/"}} {
			h.log.Reset()
			h.do(req.method, req.path)
			s := h.log.Summaries()
			if len(s) != 1 || s[0].Route != path {
				t.Errorf("%s %s: summaries %+v, want one with route %q", req.method, req.path, s, path)
			}
		}
	}
}
