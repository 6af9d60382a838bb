package dockerflowhttp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

func TestConformance(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		return dockerflowhttp.Wrap(svc, app)
	})
}

// Recover inside the middleware, and with other middleware between the
// two, gives the same answers and summaries: a panic is logged once, with
// its stack, and the 500 keeps the request ID.
func TestConformanceRecoverOrders(t *testing.T) {
	t.Run("inside", func(t *testing.T) {
		dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
			return dockerflowhttp.Middleware(svc)(dockerflowhttp.Recover(svc)(dockerflowhttp.Handler(svc, app)))
		})
	})
	t.Run("other-between", func(t *testing.T) {
		dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
			return dockerflowhttp.Recover(svc)(otherMiddleware(dockerflowhttp.Wrap(svc, app)))
		})
	})
}

// otherMiddleware wraps the response writer as many middlewares do,
// without Unwrap.
func otherMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(struct{ http.ResponseWriter }{w}, r)
	})
}

// The endpoints registered on a ServeMux behave the same.
func TestConformanceServeMux(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		mux := http.NewServeMux()
		dockerflowhttp.Register(mux, svc)
		mux.Handle("/", app)
		return dockerflowhttp.Recover(svc)(dockerflowhttp.Middleware(svc)(mux))
	})
}

// wantStatus checks the status h answers for GET requests to each path.
func wantStatus(t *testing.T, h http.Handler, want map[string]int) {
	t.Helper()
	for path, code := range want {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != code {
			t.Errorf("%s: %d, want %d", path, rec.Code, code)
		}
	}
}

func TestHandlerWithoutNext(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	wantStatus(t, dockerflowhttp.Handler(svc, nil),
		map[string]int{"/__lbheartbeat__": 200, "/": 404, "/__lbheartbeat__x": 404, "/__error__": 404})
}

func TestOnServeMux(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	mux := http.NewServeMux()
	endpoints := dockerflowhttp.Handler(svc, nil)
	mux.Handle("/__heartbeat__", endpoints)
	mux.Handle("/__lbheartbeat__", endpoints)
	mux.HandleFunc("/{anything}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	wantStatus(t, mux, map[string]int{"/__lbheartbeat__": 200, "/__heartbeat__": 200, "/other": 418})
}

// The status writer must keep what the underlying writer can do.
func TestResponseWriterKeepsInterfaces(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	var flushed, hijacked bool
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stream":
			_, _ = w.Write([]byte("part"))
			w.(http.Flusher).Flush()
			flushed = true
		case "/copy":
			_, _ = io.Copy(w, strings.NewReader("copied"))
		case "/hijack":
			conn, rw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			hijacked = true
			_, _ = rw.WriteString("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
			_ = rw.Flush()
			_ = conn.Close()
		}
	})
	srv := httptest.NewServer(dockerflowhttp.Wrap(svc, app))
	defer srv.Close()
	for path, want := range map[string]string{"/stream": "200 part", "/copy": "200 copied", "/hijack": "204 "} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := fmt.Sprintf("%d %s", resp.StatusCode, body); got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
	if !flushed || !hijacked {
		t.Errorf("flushed %v, hijacked %v: want both", flushed, hijacked)
	}
	// The client may have its answer before the handler has returned.
	deadline := time.Now().Add(5 * time.Second)
	for len(log.Summaries()) < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	got := map[string]int{}
	for _, s := range log.Summaries() {
		got[s.Path] = s.Code
	}
	want := map[string]int{"/stream": 200, "/copy": 200, "/hijack": 101}
	for p, c := range want {
		if got[p] != c {
			t.Errorf("summary of %s has code %d, want %d", p, got[p], c)
		}
	}
}

// Over a real server, a HEAD answer keeps the GET's headers and has no body.
func TestHeadOverHTTP(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{HeartbeatShowDetails: true})
	srv := httptest.NewServer(dockerflowhttp.Wrap(svc, nil))
	defer srv.Close()
	get, err := http.Get(srv.URL + "/__heartbeat__")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(get.Body)
	get.Body.Close()
	head, err := http.Head(srv.URL + "/__heartbeat__")
	if err != nil {
		t.Fatal(err)
	}
	hbody, _ := io.ReadAll(head.Body)
	head.Body.Close()
	if string(body) != `{"status":"ok","checks":{},"details":{}}` || len(hbody) != 0 {
		t.Errorf("GET body %q, HEAD body %q", body, hbody)
	}
	if head.Header.Get("Content-Length") != get.Header.Get("Content-Length") || head.StatusCode != get.StatusCode {
		t.Errorf("HEAD %d %q vs GET %d %q", head.StatusCode, head.Header.Get("Content-Length"), get.StatusCode, get.Header.Get("Content-Length"))
	}
}

// A client that goes away while a check hangs ends the heartbeat's wait.
func TestHeartbeatClientGone(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{CheckTimeout: 10 * time.Second})
	release := make(chan struct{})
	defer close(release)
	_ = svc.Register(dockerflow.Check{Name: "hang", Func: func(ctx context.Context) []dockerflow.Message {
		select {
		case <-ctx.Done():
		case <-release:
		}
		return nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	dockerflowhttp.Handler(svc, nil).ServeHTTP(rec, httptest.NewRequest("GET", "/__heartbeat__", nil).WithContext(ctx))
	if rec.Code != 500 || rec.Body.String() != `{"status":"error"}` {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

func TestErrorEndpointPanicsWithSentinel(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{EnableErrorEndpoint: true})
	defer func() {
		v := recover()
		if err, ok := v.(error); !ok || !errors.Is(err, dockerflow.ErrErrorEndpoint) {
			t.Errorf("recovered %v, want dockerflow.ErrErrorEndpoint", v)
		}
	}()
	dockerflowhttp.Handler(svc, nil).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/__error__", nil))
	t.Error("no panic")
}

func TestRecoverPassesAbort(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	dockerflowhttp.Recover(svc)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

// The summary's route is the pattern the ServeMux inside matched, or what
// WithRoute says; EndpointHandler serves at any path it is routed to.
func TestRoute(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle("/ops/health", dockerflowhttp.EndpointHandler(svc, dockerflow.PathHeartbeat))
	for _, tc := range []struct {
		h           http.Handler
		path, route string
		code        int
	}{
		{dockerflowhttp.Middleware(svc)(mux), "/users/7", "/users/{id}", 200},
		{dockerflowhttp.Middleware(svc)(mux), "/ops/health", "/ops/health", 200},
		{dockerflowhttp.Middleware(svc)(mux), "/nowhere", "", 404},
		{dockerflowhttp.Middleware(svc, dockerflowhttp.WithRoute(func(r *http.Request) string { return "custom" }))(mux), "/users/7", "custom", 200},
	} {
		log.Reset()
		rec := httptest.NewRecorder()
		tc.h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		s := log.Summaries()
		if rec.Code != tc.code || len(s) != 1 || s[0].Route != tc.route {
			t.Errorf("%s: %d, summaries %+v; want %d with route %q", tc.path, rec.Code, s, tc.code, tc.route)
		}
	}
}

// A panic after the status was sent cannot become a 500: Recover aborts
// the answer, as net/http does, instead of appending an error to the body
// and making net/http log a superfluous WriteHeader.
func TestRecoverAfterStatusSent(t *testing.T) {
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("part"))
		w.(http.Flusher).Flush()
		panic("late")
	})
	srv := httptest.NewUnstartedServer(dockerflowhttp.Wrap(svc, app))
	var errLog dockerflowtest.Buffer
	srv.Config.ErrorLog = stdlog.New(&errLog, "", 0)
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || strings.Contains(string(body), "Internal Server Error") {
		t.Errorf("body %q, read error %v: want the answer cut short", body, err)
	}
	if errLog.String() != "" {
		t.Errorf("net/http logged %q", errLog.String())
	}
}

// WithSkipper skips the middleware: no request ID, no summary.
func TestWithSkipper(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	h := dockerflowhttp.Middleware(svc, dockerflowhttp.WithSkipper(func(r *http.Request) bool { return r.Method == "HEAD" }))(app)
	for _, method := range []string{"HEAD", "GET"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/x", nil))
		if got := rec.Header().Get("X-Request-ID") != ""; got != (method == "GET") {
			t.Errorf("%s: request ID echoed %v", method, got)
		}
	}
	if s := log.Summaries(); len(s) != 1 || s[0].Method != "GET" {
		t.Errorf("summaries %+v, want the GET's only", s)
	}
}
