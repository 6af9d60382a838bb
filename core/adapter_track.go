package dockerflow

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/reqid"
)

// Tracker follows one request or RPC from the middleware's start to its
// end, and logs its request.summary once: Adapter.Track (or TrackCall)
// makes it, and the adapter ends it with Done, Failed or Panicked. Its methods are safe to call from any
// goroutine; only the first end counts.
type Tracker struct {
	svc   *Service
	req   *http.Request // as the middleware received it, for Config.UserID
	tctx  trackedCtx    // the request's context, carrying the tracker (context)
	h     http.Header   // the response's header; nil for an RPC
	start time.Time
	sum   Summary

	// mu guards uid, rare and the summary's route, which a handler may set from
	// any goroutine, and Close reads from its own.
	mu     sync.Mutex
	uid    string
	uidSet atomic.Bool // set after uid: the end reads uid (locked) only when set
	// added are the fields the handler added (AddFields); hasAdded is
	// set first: the end reads them (locked) only when set.
	added    added
	hasAdded atomic.Bool
	extra    []slog.Attr // the summary's fields beyond its own (addedFields)
	// rare is what few requests need (rareState), allocated on first use.
	rare *trackerRare
	// size is the response body's bytes (ResponseSize), -1 unknown.
	size  atomic.Int64
	ended atomic.Bool // the summary was logged (or skipped): once only
	// cut: the service stopped before the request finished (markCut);
	// hijacked: the handler took over the connection (Hijacked).
	cut, hijacked atomic.Bool
	// routeBy is who set the route: the framework's pattern does not
	// replace the application's (SetRoute), nor either an endpoint's.
	routeBy routeSource
	panic   *panicInfo // for the error observers, when the request panicked

	prev, next *Tracker // in the service's ring of requests in flight

	ridHeader [1]string // the response header's value, kept here to save an allocation
	// handed is the request handed on to the handler (the received one
	// with ctx), kept here: one allocation for both.
	handed http.Request
}

// trackerRare is the part of a tracker few requests need, apart so that
// every request's tracker stays in a smaller size class (its allocation is
// most of a summary's cost in bytes): the facts the opt-in fields
// remoteAddressChain and httpRequest need, and the stack of /__error__.
type trackerRare struct {
	facts requestFacts
	// raisedAt is the stack where /__error__ raised its error, the
	// traceback of a summary that fails without a panic's.
	raisedAt string
}

// rareState returns t.rare, allocated if need be. The caller holds t.mu,
// or is the only goroutine that has t (Track, before the handler runs).
func (t *Tracker) rareState() *trackerRare {
	if t.rare == nil {
		t.rare = &trackerRare{}
	}
	return t.rare
}

// Track starts the summary of request r: it takes the request ID from the
// request's header (a new one when it is missing, invalid or holds
// something redaction would remove), sets it on the response header h
// (unless the service does not echo it), and returns r with a context
// that carries the ID (RequestID) and the tracker (Adapter.Tracker).
// While the service drains, h gets Connection: close (HTTP/2: a GOAWAY).
func (a Adapter) Track(r *http.Request, h http.Header) (*http.Request, *Tracker) {
	s := a.s
	t := s.track(r.Context(), r, h)
	t.req = r
	t.handed = *r.WithContext(t.context()) // inlined: WithContext's copy stays on the stack
	s.enter(t)
	return &t.handed, t
}

// TrackCall starts the summary of the RPC named method
// ("/pkg.Service/Method"), whose request metadata are md, with canonical
// keys (X-Request-Id, Traceparent, User-Agent…). The request ID and
// trace-id come from md as from an HTTP request's headers; the summary's
// method and path are method, and it is marked Summary.RPC. It returns
// ctx carrying the request ID and the tracker. Config.UserID sees a
// request whose Method and URL.Path are method, whose Header is md and
// whose context is the call's.
func (a Adapter) TrackCall(ctx context.Context, method string, md http.Header) (context.Context, *Tracker) {
	s := a.s
	r := http.Request{Method: method, URL: &url.URL{Path: method}, Header: md, Proto: "HTTP/2.0", ProtoMajor: 2}
	t := s.track(ctx, &r, nil)
	t.sum.RPC = true
	if s.cfg.UserID != nil { // the only reader of the request: kept only for it
		t.handed = *r.WithContext(t.context())
		t.req = &t.handed
	}
	s.enter(t)
	return t.context(), t
}

// Tracker returns the tracker of the request or RPC whose context is ctx,
// while its summary is not logged yet; nil otherwise. Recovery middleware
// uses it: inside the request middleware it is the first to see a panic,
// and logs it with Panicked before answering, so that the panic is logged
// once, with its stack, whichever order the two are installed in.
func (a Adapter) Tracker(ctx context.Context) *Tracker {
	if t, ok := ctx.Value(trackerKey{}).(*Tracker); ok && !t.ended.Load() {
		return t
	}
	return nil
}

// track starts the summary of request r, whose context is ctx:
// t.context() is ctx carrying the tracker. h, the response header, is nil
// for an RPC (the request ID is not echoed there).
func (s *Service) track(ctx context.Context, r *http.Request, h http.Header) *Tracker {
	t := &Tracker{svc: s, h: h, start: time.Now()}
	trace := traceID(first(r.Header, "Traceparent"))
	rid := first(r.Header, s.ridHeader)
	switch {
	case s.keptRequestID(rid):
	case trace != "" && s.cfg.RequestIDFromTraceparent:
		rid = trace // one ID follows the request across services
	default:
		rid = newRequestID()
	}
	if h != nil && s.life.isDraining() {
		h["Connection"] = connClose // keep-alive off (HTTP/2: a GOAWAY): the client reconnects elsewhere
	}
	if !s.cfg.DisableRequestIDEcho && h != nil {
		t.ridHeader[0] = rid
		h[s.ridHeader] = t.ridHeader[:]
	}
	t.sum = Summary{Level: LevelInfo, RID: rid, TraceID: trace}
	s.captureRequest(&t.sum, r)
	if s.cfg.SummaryQueryString {
		t.sum.QueryString, t.sum.HasQueryString = s.safeQueryString(r.URL.RawQuery), true
	}
	if s.opt != (optIns{}) {
		s.takeFacts(t, r)
	}
	t.size.Store(-1)
	t.tctx = trackedCtx{Context: ctx, t: t}
	return t
}

// first is h.Get(key) for a key already in canonical form.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// SetRoute records the route pattern that matched the request, for
// adapters whose framework knows it: the pattern without a method, in the
// framework's own syntax ("/users/{id}", "/users/:id"). For a Dockerflow
// endpoint the route is its path without a trailing slash, whatever the
// pattern, and the application's (dockerflow.SetRoute) wins over the
// framework's. Call it before the request ends.
func (t *Tracker) SetRoute(pattern string) { t.setRoute(pattern, routeByFramework) }

// Who set a summary's route, in rising precedence.
type routeSource uint8

const (
	routeByFramework routeSource = iota
	routeByApplication
	routeByEndpoint
)

// setRoute sets the route, unless one of higher precedence is set.
func (t *Tracker) setRoute(route string, by routeSource) {
	if route == "" {
		return // "no pattern" from an outer router does not erase an inner one's
	}
	route = t.svc.safeRoute(route) // an application may name it from the request
	t.mu.Lock()
	if by >= t.routeBy {
		t.sum.Route, t.routeBy = route, by
	}
	t.mu.Unlock()
}

// Done logs the summary of a request that returned, with the status code
// the framework sent (200 when the handler wrote nothing); of an RPC,
// with the gRPC status code its client got (0, OK, for none), as code,
// errno and status ("NOT_FOUND").
func (t *Tracker) Done(code int) {
	switch {
	case t.sum.RPC:
		t.sum.Errno, t.sum.Status = code, rpcStatus(code)
	case code == 0:
		code = http.StatusOK
	case code >= 400:
		t.sum.Errno = code
	}
	t.sum.Code = code
	t.finish(&t.sum)
}

// Failed logs the summary of a request that failed with an error the
// framework turns into a 5xx answer (echo's handler errors, gin's
// c.Error, /__error__): at error level, errno the status sent (500 when
// code is 0), the error's text, redacted, as msg and error. code is as
// for Panicked. For an RPC, code is the gRPC status code of a failure on
// the server's side (UNKNOWN, INTERNAL, DATA_LOSS).
func (t *Tracker) Failed(code int, err string) { t.fail(code, err, "") }

// Panicked logs the summary of a request whose handler panicked with v:
// at error level, errno 500, the panic's text as msg and error, and the
// stack as traceback. Call it from the deferred function that recovered
// (the stack is taken there), then panic again for the framework's
// recovery. code is the status already sent, or 0 when nothing was sent:
// then the handler's response headers are reset for the 500 (see
// Adapter.ResetHeader). A panic with http.ErrAbortHandler is not an
// error: its summary is at info level, without traceback, and says the
// client went away. For an RPC, code is ignored: the client is answered
// INTERNAL (13).
func (t *Tracker) Panicked(code int, v any) {
	if v == http.ErrAbortHandler && !t.sum.RPC {
		t.aborted(code)
		return
	}
	t.recordPanic(v)
	if t.sum.RPC {
		code = codeInternal
	}
	t.fail(code, panicText(v), traceback(debug.Stack()))
}

// clientGone is the message of a request whose handler aborted its answer
// with http.ErrAbortHandler, as httputil.ReverseProxy does when the
// client went away; net/http then closes the connection quietly.
const clientGone = "the client went away: the handler aborted the answer (http.ErrAbortHandler)"

// statusClientClosed is nginx's 499, for a request whose client left
// before it was answered.
const statusClientClosed = 499

// aborted logs the summary of a request aborted with
// http.ErrAbortHandler: not an error, no traceback; its code is the
// status already sent, else 499.
func (t *Tracker) aborted(code int) {
	if code == 0 {
		code = statusClientClosed
	}
	t.sum.Code, t.sum.Errno, t.sum.Msg = code, code, clientGone
	if code < 400 {
		t.sum.Errno = 0
	}
	t.finish(&t.sum)
}

func (t *Tracker) fail(code int, err, traceback string) {
	switch {
	case t.sum.RPC:
		t.sum.Status = rpcStatus(code)
	case code == 0:
		code = http.StatusInternalServerError
		resetHeader(t.svc, t.h)
	}
	t.sum.Code = code
	t.sum.Errno = code
	if !t.sum.RPC && (traceback != "" || code < 400) { // a panic: 500, whatever was sent
		t.sum.Errno = http.StatusInternalServerError
	}
	t.sum.Level = LevelError
	if traceback == "" {
		t.mu.Lock()
		if t.rare != nil {
			traceback = t.rare.raisedAt
		}
		t.mu.Unlock()
	}
	err = t.svc.safeError(err)
	t.sum.Msg, t.sum.Error = err, err
	t.sum.Traceback = t.svc.safeTraceback(traceback)
	t.finish(&t.sum)
}

// ResponseSize records the bytes of the response body the handler sent,
// logged as the summary's size when Config.SummaryFields asks for it:
// adapters call it before Done, Failed or Panicked with what their
// framework counted.
func (t *Tracker) ResponseSize(n int64) { t.size.Store(max(n, 0)) }

// Hijacked records that the handler took over the connection
// (http.Hijacker: a websocket). A response writer of the adapter's calls
// it from a successful Hijack (or Writer wraps one that does): then
// Service.Run does not wait for the request, as net/http's Shutdown does
// not, and says so; if it is still open when the service stops, its
// summary says it was cut.
func (t *Tracker) Hijacked() { t.hijacked.Store(true) }

// Writer returns w, wrapped so that a successful Hijack of it calls
// Hijacked when the request may take over its connection (it asks to
// switch protocols, a websocket, or is a CONNECT): every other request
// gets w itself, at no cost. For adapters whose framework hands handlers
// a writer of its own around w (echo's Response); Flush and Unwrap
// (http.ResponseController) pass through.
func (t *Tracker) Writer(w http.ResponseWriter) http.ResponseWriter {
	if r := t.req; r == nil || r.Method != http.MethodConnect && len(r.Header["Upgrade"]) == 0 {
		return w
	}
	return &hijackWatcher{ResponseWriter: w, t: t}
}

type hijackWatcher struct {
	http.ResponseWriter
	t *Tracker
}

func (w *hijackWatcher) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.t.Hijacked()
	}
	return conn, rw, err
}

func (w *hijackWatcher) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *hijackWatcher) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish logs sum as the request's summary, unless one was logged
// already.
func (t *Tracker) finish(sum *Summary) {
	if !t.ended.CompareAndSwap(false, true) {
		return
	}
	t.svc.inflightMu.Lock()
	t.prev.next, t.next.prev = t.next, t.prev
	t.prev, t.next = nil, nil
	t.svc.inflightMu.Unlock()
	if sum == &t.sum && t.cut.Load() {
		t.cutAnswer(sum)
	}
	sum.End = time.Now()
	sum.Duration = sum.End.Sub(t.start)
	if t.svc.logSummary(sum) {
		var uid string
		set := t.uidSet.Load()
		if set {
			t.mu.Lock()
			uid = t.uid
			t.mu.Unlock()
		}
		if !set && t.svc.cfg.UserID != nil {
			uid = t.svc.cfg.UserID(t.req)
		}
		sum.UID = t.svc.safeUID(uid)
		sum.added = t.addedFields(sum, sum != &t.sum)
		t.svc.log.LogSummary(t.context(), sum)
	}
	if len(t.svc.obs.requests)+len(t.svc.obs.errors) > 0 {
		t.observeEnd(sum)
	}
}

// logSummary decides whether the request's summary is logged: not for an
// excluded path; successful requests are sampled at SummarySampleRate,
// failed ones always logged. (Adapters skip requests before they are
// tracked, with their Skipper options.)
func (s *Service) logSummary(sum *Summary) bool {
	if s.excluded[strings.TrimSuffix(sum.Path, "/")] {
		return false
	}
	if r := s.cfg.SummarySampleRate; sum.Errno == 0 && r > 0 && r < 1 {
		return sampled(r)
	}
	return true
}

// context is the request's context, carrying the tracker: no allocation
// of its own, it is the tracker's.
func (t *Tracker) context() context.Context { return &t.tctx }

// trackerKey is where a request's context keeps its tracker.
type trackerKey struct{}

// trackedCtx is a request's context carrying its tracker and its IDs, as
// context.WithValue would, but stored inside the tracker: one allocation
// fewer per request. Deadline, Done and Err are the parent's, so the
// context package propagates cancellation as it does for its own types.
type trackedCtx struct {
	context.Context
	t *Tracker
}

// RequestIDs implements reqid.Source: the summary's request ID and
// trace-id, set before the context is handed on and never changed.
func (c *trackedCtx) RequestIDs() (rid, trace string) { return c.t.sum.RID, c.t.sum.TraceID }

func (c *trackedCtx) Value(key any) any {
	switch key {
	case trackerKey{}:
		return c.t
	case reqid.Key{}:
		return c // its RequestIDs, for package mozlog's loggers
	}
	return c.Context.Value(key)
}
