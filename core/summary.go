package dockerflow

import (
	"context"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"sync"
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
	UID      string        // user ID, "" when unknown
	// Route is the route pattern that matched ("/users/{id}"), logged as
	// route when the adapter knows it: fewer distinct values than paths.
	Route string

	// QueryString is the percent-decoded query string, logged (as
	// querystring) only when HasQueryString is set.
	QueryString    string
	HasQueryString bool
}

// AppendAttrs appends the record's fields, as mozlog names them and in
// the order of their names, to dst: agent, code, errno, lang, method,
// path, querystring (when enabled), rid, route (when known), t, uid.
// Loggers use it so that every one writes the same fields.
func (s *Summary) AppendAttrs(dst []slog.Attr) []slog.Attr {
	dst = append(dst,
		slog.String("agent", s.Agent),
		slog.Int("code", s.Code),
		slog.Int("errno", s.Errno),
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
	return append(dst,
		slog.Int64("t", s.Duration.Milliseconds()),
		slog.String("uid", s.UID),
	)
}

// Tracker follows one request from the middleware's start to its end. The
// framework adapters create it with [Service.TrackRequest] and end it with
// Done or Panicked; applications do not need it.
type Tracker struct {
	svc   *Service
	req   *http.Request   // as the middleware received it
	ctx   context.Context // the request's context, carrying the tracker
	start time.Time
	sum   Summary

	mu     sync.Mutex // guards uid, which a handler may set from any goroutine
	uid    string
	uidSet bool

	ridHeader [1]string // the response header's value, kept here to save an allocation
}

// TrackRequest starts the request's summary: it takes the request ID from
// the request's header (a new one if it is missing or invalid), sets it on
// the response header h, and returns r with a context that carries it.
func (s *Service) TrackRequest(r *http.Request, h http.Header) (*http.Request, *Tracker) {
	t := &Tracker{svc: s, req: r, start: time.Now()}
	rid := first(r.Header, s.ridHeader)
	if !ValidRequestID(rid) {
		rid = NewRequestID()
	}
	t.ridHeader[0] = rid
	h[s.ridHeader] = t.ridHeader[:]
	t.sum = Summary{
		Level:  LevelInfo,
		Agent:  first(r.Header, "User-Agent"),
		Lang:   first(r.Header, "Accept-Language"),
		Method: r.Method,
		Path:   r.URL.Path,
		RID:    rid,
	}
	if s.cfg.SummaryQueryString {
		q, err := url.PathUnescape(r.URL.RawQuery) // "+" stays "+", as python-dockerflow logs it
		if err != nil {
			q = r.URL.RawQuery
		}
		// Query strings carry tokens and keys (?token=…): redacted like messages.
		t.sum.QueryString, t.sum.HasQueryString = Redact(q), true
	}
	t.ctx = context.WithValue(r.Context(), ctxKey{}, t)
	return r.WithContext(t.ctx), t
}

// first is h.Get(key) for a key already in canonical form.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// RequestID returns the request's ID.
func (t *Tracker) RequestID() string { return t.sum.RID }

// SetRoute records the route pattern that matched the request, for
// adapters whose framework knows it. Call it before Done or Panicked.
func (t *Tracker) SetRoute(pattern string) { t.sum.Route = pattern }

// Done logs the summary of a request that returned, with the status code
// the framework sent (200 when the handler wrote nothing).
func (t *Tracker) Done(code int) {
	if code == 0 {
		code = http.StatusOK
	}
	t.sum.Code = code
	if code >= 400 {
		t.sum.Errno = code
	}
	t.finish()
}

// Panicked logs the summary of a request whose handler panicked with v:
// at error level, errno 500, the panic's text as msg. code is the status
// already sent, or 0 when nothing was sent (the recovery will send 500).
// The caller then re-panics, for the framework's recovery to handle.
func (t *Tracker) Panicked(code int, v any) {
	if code == 0 {
		code = http.StatusInternalServerError
	}
	t.sum.Code = code
	t.sum.Errno = http.StatusInternalServerError
	t.sum.Level = LevelError
	t.sum.Msg = panicText(v)
	t.finish()
}

func panicText(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(v)
}

func (t *Tracker) finish() {
	t.sum.End = time.Now()
	t.sum.Duration = t.sum.End.Sub(t.start)
	if !t.svc.logSummary(t) {
		return
	}
	t.mu.Lock()
	uid, set := t.uid, t.uidSet
	t.mu.Unlock()
	if !set && t.svc.cfg.UserID != nil {
		uid = t.svc.cfg.UserID(t.req)
	}
	t.sum.UID = uid
	t.svc.log.LogSummary(t.ctx, &t.sum)
}

// logSummary decides whether the request's summary is logged: not for an
// excluded path or a request the Skip function refuses; successful
// requests are sampled at SummarySampleRate, failed ones always logged.
func (s *Service) logSummary(t *Tracker) bool {
	if s.excluded[t.sum.Path] {
		return false
	}
	if s.cfg.SummarySkip != nil && s.cfg.SummarySkip(t.req) {
		return false
	}
	if r := s.cfg.SummarySampleRate; t.sum.Errno == 0 && r > 0 && r < 1 {
		return mrand.Float64() < r
	}
	return true
}
