package adapter_test

import (
	"bufio"
	"net"
	"net/http"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

// A reference adapter, as small as one can be, on net/http alone: what an
// author of an adapter for another framework writes, and the proof that
// core passes its own conformance suite without any adapter module.
func TestReferenceAdapter(t *testing.T) {
	dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
		return recoverer(svc, middleware(svc, endpoints(svc, app)))
	})
}

// endpoints serves the Dockerflow endpoints, matched on the path as
// spelled, and hands everything else to next.
func endpoints(svc *dockerflow.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ep := adapter.Match(svc, r.URL.EscapedPath())
		if ep == adapter.EndpointNone {
			next.ServeHTTP(w, r)
			return
		}
		resp, err := adapter.Respond(r.Context(), svc, ep, r.Method)
		if err != nil {
			panic(err) // /__error__: the framework's error path
		}
		resp.Write(w, r.Method)
	})
}

// middleware gives each request its ID and summary: Track at the start,
// Done with the status sent, Panicked from the deferred recover.
func middleware(svc *dockerflow.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, t := adapter.Track(svc, r, w.Header())
		sw := &statusWriter{ResponseWriter: w, t: t}
		defer func() {
			if v := recover(); v != nil {
				t.Panicked(sw.status, v)
				panic(v)
			}
		}()
		next.ServeHTTP(sw, r)
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
			adapter.ResetHeader(svc, w.Header())
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter records the status sent, and tells the tracker (t, when
// set) of a Hijack; Flush, Hijack and Unwrap pass through.
type statusWriter struct {
	http.ResponseWriter
	status int
	t      adapter.Tracker
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
	return w.ResponseWriter.Write(b)
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
