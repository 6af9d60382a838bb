package dockerflow_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// A whole adapter, on net/http alone: what the author of an adapter for
// another framework writes (with the framework's router, writer and error
// path in place of net/http's), and the proof that core passes its own
// conformance suite without any adapter module (TestReferenceAdapter).
func ExampleAdapter() {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: os.Stdout,
		Options: mozlog.Options{Logger: "ref", Hostname: "web-1", Pid: 7, Now: func() time.Time { return time.Unix(1795514400, 0) }}}})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	h := recoverer(svc, middleware(svc, endpoints(svc, app)))

	for _, path := range []string{"/__lbheartbeat__", "/hello"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Request-ID", "req-1")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("X-Request-ID"))
	}
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"ref","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/__lbheartbeat__","rid":"req-1","route":"/__lbheartbeat__","t":0,"uid":""}}
	// 200 no-store req-1
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"ref","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/hello","rid":"req-1","t":0,"uid":""}}
	// 200  req-1
}

func TestReferenceAdapter(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		return recoverer(svc, middleware(svc, endpoints(svc, app)))
	})
}

// endpoints serves the Dockerflow endpoints, matched on the path as
// spelled, and hands everything else to next.
func endpoints(svc *dockerflow.Service, next http.Handler) http.Handler {
	kit := svc.Adapter()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ep := kit.Endpoint(r)
		if ep == "" {
			next.ServeHTTP(w, r)
			return
		}
		if err := kit.Respond(w, r, ep); err != nil {
			panic(err) // /__error__: the framework's error path
		}
	})
}

// middleware gives each request its ID and summary: Track at the start,
// ResponseSize then Done with the status sent, Panicked from the deferred
// recover. Intercept
// answers what a router must not see (a method it does not know, sent to
// an endpoint).
func middleware(svc *dockerflow.Service, next http.Handler) http.Handler {
	kit := svc.Adapter()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, t := kit.Track(r, w.Header())
		sw := &statusWriter{ResponseWriter: w, t: t}
		defer func() {
			if v := recover(); v != nil {
				t.Panicked(sw.status, v)
				panic(v)
			}
		}()
		if ep := kit.Intercept(r); ep != "" {
			_ = kit.Respond(sw, r, ep)
		} else {
			next.ServeHTTP(sw, r)
		}
		t.ResponseSize(sw.size)
		t.Done(sw.status)
	})
}

// recoverer answers a panic 500 with the headers svc keeps, or cuts the
// connection once the status is out.
func recoverer(svc *dockerflow.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler || sw.status != 0 {
				panic(http.ErrAbortHandler)
			}
			svc.Adapter().ResetHeader(w.Header())
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter records the status and the bytes sent, and tells the
// tracker (t, when set) of a Hijack; Flush, Hijack and Unwrap pass
// through.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int64
	t      *dockerflow.Tracker
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.t != nil {
		w.t.Hijacked()
	}
	return conn, rw, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
