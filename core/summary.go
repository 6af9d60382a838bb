package dockerflow

import (
	"context"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Summary is the request.summary record of one request.
type Summary struct {
	// Level is info, or error when the handler panicked.
	Level Level
	// Msg is empty, or the panic's text.
	Msg string

	Agent    string        // User-Agent
	Lang     string        // Accept-Language
	Method   string        // HTTP method
	Path     string        // URL path, without the query string
	Code     int           // status code sent
	Errno    int           // 0 on success, else the status code; 500 for a panic
	Duration time.Duration // logged as t, in whole milliseconds
	End      time.Time     // when the request ended: the entry's time
	RID      string        // request ID
	// TraceID is the trace-id of the request's W3C traceparent header,
	// logged as trace_id when the header is valid.
	TraceID string
	UID     string // user ID, "" when unknown
	// Route is the route pattern that matched ("/users/{id}"), logged as
	// route when the adapter knows it: fewer distinct values than paths.
	Route string
	// Status is, for an RPC, the name of its gRPC status code
	// ("NOT_FOUND"), logged as status; Code and Errno are then the code's
	// number (0 for OK), and Method and Path the full method
	// ("/pkg.Service/Method"). Empty for HTTP requests.
	Status string

	// QueryString is the percent-decoded query string, logged (as
	// querystring) only when HasQueryString is set.
	QueryString    string
	HasQueryString bool

	// Error is the text of the panic or error that failed the request,
	// and Traceback the panicking goroutine's stack, as python-dockerflow
	// logs them; both empty otherwise.
	//
	// Every field taken from the request is capped (in bytes of its JSON
	// encoding; a longer one is cut and ends with "…"), so that a summary
	// line stays under the 16 KiB at which container runtimes split lines:
	// Agent 1 KiB, Lang 256, Method 256, Path 2 KiB, QueryString 2 KiB,
	// RID 128 bytes (longer IDs are replaced), Route 512, UID 256, Msg
	// and Error 1 KiB each, Traceback 6 KiB.
	Error     string
	Traceback string
}

// AppendAttrs appends the summary's fields to dst, as mozlog names them
// and in the order of their names: agent, code, errno, error (when set),
// lang, method, path, querystring (when enabled), rid, route (when
// known), status (for an RPC), t (milliseconds), trace_id (when the
// request has a valid traceparent), traceback (when set), uid. A Logger
// that writes through another library logs these, so that every Logger
// writes the same fields; 16 attributes of room in dst avoid an
// allocation.
func (s *Summary) AppendAttrs(dst []slog.Attr) []slog.Attr {
	dst = append(dst,
		slog.String("agent", s.Agent),
		slog.Int("code", s.Code),
		slog.Int("errno", s.Errno),
	)
	if s.Error != "" {
		dst = append(dst, slog.String("error", s.Error))
	}
	dst = append(dst,
		slog.String("lang", s.Lang),
		slog.String("method", s.Method),
		slog.String("path", s.Path),
	)
	if s.HasQueryString {
		dst = append(dst, slog.String("querystring", s.QueryString))
	}
	dst = append(dst, slog.String("rid", s.RID))
	if s.Route != "" {
		dst = append(dst, slog.String("route", s.Route))
	}
	if s.Status != "" {
		dst = append(dst, slog.String("status", s.Status))
	}
	dst = append(dst, slog.Int64("t", s.Duration.Milliseconds()))
	if s.TraceID != "" {
		dst = append(dst, slog.String("trace_id", s.TraceID))
	}
	if s.Traceback != "" {
		dst = append(dst, slog.String("traceback", s.Traceback))
	}
	return append(dst, slog.String("uid", s.UID))
}

// tracker follows one request from the middleware's start to its end.
// Adapters reach it as an adapter.Tracker (adapter.Track), and end it with
// Done, Panicked or Failed.
type tracker struct {
	svc   *Service
	req   *http.Request // as the middleware received it, for Config.UserID
	tctx  trackedCtx    // the request's context, carrying the tracker (context)
	h     http.Header   // the response's header
	start time.Time
	sum   Summary

	// mu guards uid and the summary's route, which a handler may set from
	// any goroutine, and Close reads from its own.
	mu     sync.Mutex
	uid    string
	uidSet atomic.Bool // set after uid: the end reads uid (locked) only when set
	ended  atomic.Bool // the summary was logged (or skipped): once only
	// cut: the service stopped before the request finished (markCut);
	// hijacked: the handler took over the connection (Hijacked).
	cut, hijacked atomic.Bool
	// routeBy is who set the route: the framework's pattern does not
	// replace the application's (SetRoute), nor either an endpoint's.
	routeBy routeSource
	rpc     bool       // an RPC (trackCall), not an HTTP request
	panic   *panicInfo // for the error observers, when the request panicked

	prev, next *tracker // in the service's ring of requests in flight

	ridHeader [1]string // the response header's value, kept here to save an allocation
	// handed is the request handed on to the handler (the received one
	// with ctx), kept here: one allocation for both.
	handed http.Request
}

// trackRequest starts the request's summary: it takes the request ID from
// the request's header (a new one if it is missing or invalid), sets it on
// the response header h (unless DisableRequestIDEcho), and returns r with
// a context that carries it.
func (s *Service) trackRequest(r *http.Request, h http.Header) (*http.Request, *tracker) {
	t := s.track(r.Context(), r, h, false)
	t.req = r
	t.handed = *r.WithContext(t.context()) // inlined: WithContext's copy stays on the stack
	s.enter(t)
	return &t.handed, t
}

// track starts the summary of request r, whose context is ctx: t.context() is
// ctx carrying the tracker. h, the response header, may be nil (an RPC
// has none: the request ID is not echoed there). rpc: r stands for a
// remote procedure call (trackCall).
func (s *Service) track(ctx context.Context, r *http.Request, h http.Header, rpc bool) *tracker {
	t := &tracker{svc: s, h: h, start: time.Now(), rpc: rpc}
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
		h["Connection"] = connClose // keep-alive off: the client reconnects elsewhere
	}
	if !s.cfg.DisableRequestIDEcho && h != nil {
		t.ridHeader[0] = rid
		h[s.ridHeader] = t.ridHeader[:]
	}
	t.sum = Summary{
		Level:   LevelInfo,
		Agent:   s.requestText(first(r.Header, "User-Agent"), capAgent),
		Lang:    s.requestText(first(r.Header, "Accept-Language"), capLang),
		Method:  s.requestText(r.Method, capMethod),
		Path:    s.requestText(r.URL.EscapedPath(), capPath), // as spelled: /%5F_heartbeat__ is not the heartbeat
		RID:     rid,
		TraceID: trace,
	}
	if s.cfg.SummaryQueryString {
		// Query strings carry tokens and keys (?token=…): redacted by
		// parameter name before they are decoded.
		t.sum.QueryString, t.sum.HasQueryString = capField(redactQuery(r.URL.RawQuery, s.keys), capQueryString), true
	}
	t.tctx = trackedCtx{Context: ctx, t: t}
	return t
}

// enter puts t, fully set up, in the ring of requests in flight, where
// stopping (another goroutine) finds it.
func (s *Service) enter(t *tracker) {
	s.inflightMu.Lock()
	ring := &s.inflight
	t.prev, t.next = ring.prev, ring
	ring.prev.next, ring.prev = t, t
	s.inflightMu.Unlock()
}

// first is h.Get(key) for a key already in canonical form.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// RequestID returns the request's ID.
func (t *tracker) RequestID() string { return t.sum.RID }

// SetRoute records the route pattern that matched the request, for
// adapters whose framework knows it: the pattern without a method, in the
// framework's own syntax ("/users/{id}", "/users/:id"). For a Dockerflow
// endpoint the route is its path without a trailing slash, whatever the
// pattern. Call it before Done or Panicked.
func (t *tracker) SetRoute(pattern string) { t.setRoute(pattern, routeByFramework) }

// Who set a summary's route, in rising precedence.
type routeSource uint8

const (
	routeByFramework routeSource = iota
	routeByApplication
	routeByEndpoint
)

// setRoute sets the route, unless one of higher precedence is set.
func (t *tracker) setRoute(route string, by routeSource) {
	if route == "" {
		return // "no pattern" from an outer router does not erase an inner one's
	}
	if by == routeByApplication {
		route = t.svc.requestText(route, capRoute) // an application may name it from the request
	} else {
		route = capField(route, capRoute) // a pattern of the code's
	}
	t.mu.Lock()
	if by >= t.routeBy {
		t.sum.Route, t.routeBy = route, by
	}
	t.mu.Unlock()
}

// Done logs the summary of a request that returned, with the status code
// the framework sent (200 when the handler wrote nothing).
func (t *tracker) Done(code int) {
	if code == 0 {
		code = http.StatusOK
	}
	t.sum.Code = code
	if code >= 400 {
		t.sum.Errno = code
	}
	t.finish(&t.sum)
}

// Panicked logs the summary of a request whose handler panicked with v:
// at error level, errno 500, the panic's text as msg and error, and the
// stack as traceback. Call it from the deferred function that recovered.
// code is the status already sent, or 0 when nothing was sent: then the
// handler's response headers are dropped but for the request ID, and
// Cache-Control is no-store, for the 500 the recovery will send (a CDN
// must not keep it). The caller then re-panics, for the framework's
// recovery to handle.
func (t *tracker) Panicked(code int, v any) {
	if v == http.ErrAbortHandler {
		t.aborted(code)
		return
	}
	t.recordPanic(v)
	t.fail(code, panicText(v), traceback(debug.Stack()))
}

// clientGone is the message of a request whose handler aborted its answer
// with http.ErrAbortHandler, as httputil.ReverseProxy does when the
// client went away; net/http then closes the connection quietly.
const clientGone = "the client went away: the handler aborted the answer (http.ErrAbortHandler)"

// aborted logs the summary of a request aborted with
// http.ErrAbortHandler: not an error, no traceback; its code is the
// status already sent, else 499 (client closed request, as nginx logs
// it).
func (t *tracker) aborted(code int) {
	if code == 0 {
		code = statusClientClosed
	}
	t.sum.Code, t.sum.Errno, t.sum.Msg = code, code, clientGone
	if code < 400 {
		t.sum.Errno = 0
	}
	t.finish(&t.sum)
}

// statusClientClosed is nginx's 499, for a request whose client left
// before it was answered.
const statusClientClosed = 499

// Failed logs the summary of a request that failed with an error the
// framework turns into a 5xx answer (echo's handler errors, gin's
// c.Error, /__error__): at error level, errno the status sent (500 when
// code is 0), the error's text as msg and error. code is as for Panicked.
func (t *tracker) Failed(code int, err string) { t.fail(code, err, "") }

func (t *tracker) fail(code int, err, traceback string) {
	if code == 0 {
		code = http.StatusInternalServerError
		t.resetHeader()
	}
	t.sum.Code = code
	t.sum.Errno = code
	if traceback != "" || code < 400 { // a panic: 500, whatever was sent
		t.sum.Errno = http.StatusInternalServerError
	}
	t.sum.Level = LevelError
	err = t.svc.failureText(err)
	t.sum.Msg = err
	t.sum.Error = err
	t.sum.Traceback = redactText(traceback, t.svc.keys, nil)
	t.finish(&t.sum)
}

// failureText is a failure's text (a panic's value, a handler's error, an
// RPC's status message) as a summary logs it: redacted as check messages
// are (dial postgres://app:pw@db failed), then capped. Only the first
// bytes are redacted, enough to fill the cap, so that a huge text costs
// bounded time.
func (s *Service) failureText(text string) string {
	if len(text) > 4*capError {
		text = text[:4*capError]
	}
	return capField(redactText(text, s.keys, nil), capError)
}

// resetHeader drops the response headers the handler set that must not
// survive onto the 500 the recovery sends, and forbids caching.
func (t *tracker) resetHeader() { resetHeader(t.svc, t.h) }

// traceback is a panic's stack as logged: without the frames of the
// recovery itself (debug.Stack, Panicked, the deferred function), cut on a
// line boundary to fit capTraceback.
func traceback(stack []byte) string {
	s := string(stack)
	// What panicked is below runtime's panic frame; above it, the recovery.
	if i := strings.Index(s, "\npanic("); i >= 0 {
		header, _, _ := strings.Cut(s, "\n")
		s = header + s[i:]
	}
	capped := capField(s, capTraceback-len(traceCut))
	if capped == s {
		return s
	}
	if cut := strings.LastIndexByte(capped, '\n'); cut >= 0 {
		return s[:cut+1] + traceCut
	}
	return capped
}

const traceCut = "…(cut)"

func panicText(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(v)
}

// The messages of a request cut short: its handler had not returned, or
// had hijacked the connection (a websocket) and kept it open, when the
// service stopped.
const (
	msgCut         = "the service stopped before the request finished"
	msgCutHijacked = "the service stopped with the connection hijacked (a websocket, say) still open: it was cut"
)

// cutShort logs the summary of a request still in flight when the
// service is closed. It runs on another goroutine than the handler's, so
// it builds its own record from the fields set when the request began.
func (t *tracker) cutShort() {
	t.markCut()
	t.mu.Lock()
	route := t.sum.Route
	t.mu.Unlock()
	cut := Summary{Level: LevelError, Msg: msgCut,
		Agent: t.sum.Agent, Lang: t.sum.Lang, Method: t.sum.Method, Path: t.sum.Path, RID: t.sum.RID,
		TraceID: t.sum.TraceID, Route: route,
		QueryString: t.sum.QueryString, HasQueryString: t.sum.HasQueryString,
		Code: http.StatusServiceUnavailable, Errno: http.StatusServiceUnavailable}
	switch {
	case t.rpc:
		cut.Code, cut.Errno, cut.Status = codeUnavailable, codeUnavailable, nameUnavailable
	case t.hijacked.Load():
		cut.Code, cut.Msg = http.StatusSwitchingProtocols, msgCutHijacked
	}
	t.finish(&cut)
}

// cutAnswer makes sum, the summary of a request marked cut whose handler
// returned (its connection closed under it: a streaming answer, a slow
// one), say so: at error level, errno 503 (14, UNAVAILABLE, for an RPC)
// whatever the handler's status, the code it sent kept.
func (t *tracker) cutAnswer(sum *Summary) {
	if sum.Level < LevelError {
		sum.Level = LevelError
	}
	if sum.Msg == "" {
		sum.Msg = msgCut
	}
	if sum.Errno == 0 || sum.Errno < 500 {
		sum.Errno = http.StatusServiceUnavailable
		if t.rpc {
			sum.Errno = codeUnavailable
		}
	}
}

// finish logs sum as the request's summary, unless one was logged
// already.
func (t *tracker) finish(sum *Summary) {
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
		sum.UID = t.svc.requestText(uid, capUID)
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
		return mrand.Float64() < r
	}
	return true
}

// context is the request's context, carrying the tracker: no allocation
// of its own, it is the tracker's.
func (t *tracker) context() context.Context { return &t.tctx }

// trackedCtx is a request's context carrying its tracker, as
// context.WithValue(parent, ctxKey{}, t) would, but stored inside the
// tracker: one allocation fewer per request. Deadline, Done and Err are
// the parent's, so the context package propagates cancellation as it
// does for its own types.
type trackedCtx struct {
	context.Context
	t *tracker
}

func (c *trackedCtx) Value(key any) any {
	if key == (ctxKey{}) {
		return c.t
	}
	return c.Context.Value(key)
}
