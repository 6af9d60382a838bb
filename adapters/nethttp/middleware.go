package dockerflowhttp

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Middleware returns middleware that gives every request an ID (from the
// request's header when valid, else a new UUID; echoed in the response and
// stored in the context, see dockerflow.RequestID) and logs one
// request.summary for it. The summary's route is the pattern an
// http.ServeMux inside matched (Request.Pattern), unless WithRoute says
// otherwise. A request that a dockerflow middleware further out already
// tracks gets no second summary: this one only gives it its route (as
// dockerflowgorilla's inside the router does).
//
// When the handler panics, it logs the summary at error level with errno
// 500 and the panic's text, then panics again with the same value for the
// recovery further out. Put it outermost but for the recovery, so that
// every request is counted. Options: WithRoute, WithSkipper.
func Middleware(svc *dockerflow.Service, opts ...Option) func(http.Handler) http.Handler {
	o := options{route: muxPattern}
	for _, opt := range opts {
		opt(&o)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if o.skip != nil && o.skip(r) {
				next.ServeHTTP(w, r)
				return
			}
			kit := svc.Adapter()
			if t := kit.Tracker(r.Context()); t != nil {
				// A dockerflow middleware further out tracks the request
				// (around a router whose own adapter sits inside): one
				// summary, with the route this one sees.
				defer func() { t.SetRoute(o.route(r)) }()
				next.ServeHTTP(w, r)
				return
			}
			r, t := kit.Track(r, w.Header())
			rw := &responseWriter{ResponseWriter: w, t: t}
			defer func() {
				if v := recover(); v != nil {
					t.SetRoute(o.route(r))
					t.ResponseSize(rw.size)
					t.Panicked(rw.status, v)
					panic(v)
				}
			}()
			h := next
			if ep := kit.Intercept(r); ep != "" {
				h = EndpointHandler(svc, ep) // before any router makes its own answer of it
			}
			h.ServeHTTP(rw, r)
			t.SetRoute(o.route(r))
			t.ResponseSize(rw.size)
			t.Done(rw.status)
		})
	}
}

// muxPattern is the pattern an http.ServeMux matched, without its method
// ("GET /users/{id}" is "/users/{id}").
func muxPattern(r *http.Request) string {
	p := r.Pattern
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = strings.TrimLeft(p[i:], " \t")
	}
	return p
}

// Option configures Middleware.
type Option func(*options)

type options struct {
	route func(r *http.Request) string
	skip  func(r *http.Request) bool
}

// WithSkipper skips the middleware for the requests skip returns true for:
// they get no request ID and no summary (echo's Skipper, on net/http).
// To drop the summaries of whole paths, DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS
// does it from the environment.
func WithSkipper(skip func(r *http.Request) bool) Option {
	return func(o *options) { o.skip = skip }
}

// WithRoute sets how the summary's route is found, once the handler has
// returned; r is the request the middleware passed on (routers that store
// their match in its context can be asked through it).
func WithRoute(route func(r *http.Request) string) Option {
	return func(o *options) { o.route = route }
}

// responseWriter records the status code sent and the body's bytes. It implements Flusher,
// Hijacker and ReaderFrom by delegation, and Unwrap for
// http.ResponseController. Recover uses it too, to know whether a 500 can
// still be sent.
type responseWriter struct {
	http.ResponseWriter
	status int
	size   int64
	t      *dockerflow.Tracker // Middleware's: told of a Hijack
}

func (w *responseWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx answers are not final
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

func (w *responseWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(w.ResponseWriter, r)
	}
	w.size += n
	return n, err
}

func (w *responseWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	if err == nil && w.t != nil {
		w.t.Hijacked()
	}
	return conn, rw, err
}

func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Recover returns middleware that turns a panic into a 500 answer, for
// services on plain net/http (or chi) without recovery middleware of
// their own: without one, net/http closes the connection and writes the
// stack to stderr. Wrap includes it. Recover itself writes no log line,
// and the panic is logged once, with its stack, in the request's summary,
// whichever order Recover and Middleware are in: outside Middleware (the
// usual order), Middleware logs it and passes it on; inside, Recover
// tells Middleware's summary before it answers.
//
// The 500 carries Cache-Control: no-store, the request ID and the
// security headers (HSTS, CSP, X-Frame-Options…, and
// Config.KeepHeadersOnPanic; see dockerflow.Adapter.ResetHeader), and
// none of the other headers the handler had set (a proxy must not cache
// it, nor follow a Location), whatever middleware sits between. When the
// handler had already sent its status, the connection is aborted instead,
// as net/http does. A panic with http.ErrAbortHandler is passed on, as
// net/http expects: its summary says the client went away.
func Recover(svc *dockerflow.Service) func(http.Handler) http.Handler {
	kit := svc.Adapter()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rw := &responseWriter{ResponseWriter: w}
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				t := kit.Tracker(r.Context())
				if t != nil {
					t.Panicked(rw.status, v) // Middleware is outside: log the panic here, with its stack
				}
				if v == http.ErrAbortHandler || rw.status != 0 {
					panic(http.ErrAbortHandler) // too late for a 500: cut the answer short
				}
				if t == nil { // else the tracker has reset the headers
					kit.ResetHeader(w.Header())
				}
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}()
			next.ServeHTTP(rw, r)
		})
	}
}
