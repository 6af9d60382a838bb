package dockerflow

import (
	"log/slog"
	mrand "math/rand/v2"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
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
	// Status is the name of an RPC's status code ("NOT_FOUND"), logged
	// as status.
	Status string

	// QueryString is the percent-decoded query string, logged (as
	// querystring) only when HasQueryString is set.
	QueryString    string
	HasQueryString bool
	// RPC is set for a remote procedure call (gRPC): Status is then set;
	// Code and Errno are its status code's number (0 for OK), and Method
	// and Path the full method ("/pkg.Service/Method").
	RPC bool

	// Error is the text of the panic or error that failed the request,
	// and Traceback the panicking goroutine's stack, as python-dockerflow
	// logs them; both empty otherwise.
	//
	// Every string from the request or the application is redacted and
	// capped (in bytes of its JSON encoding; a longer one is cut and ends
	// with "…"), so that a summary line stays under the 16 KiB at which
	// container runtimes split lines: Agent 1 KiB, Lang 256, Method 256,
	// Path 2 KiB, QueryString 2 KiB, RID 128 bytes (longer IDs are
	// replaced), Route 512, UID 256, Msg and Error 1 KiB each, Traceback
	// 6 KiB.
	Error     string
	Traceback string

	// added are the fields the handler added (AddFields), made safe by
	// the same policy: no key of the summary's own, shallow, redacted,
	// capped and bounded (with "fields_dropped" counting those it could
	// not hold), in key order. AppendAttrs appends them after the
	// summary's own. A pointer: a Summary stays comparable.
	added *[]slog.Attr
}

// addedFields returns the fields the handler added.
func (s *Summary) addedFields() []slog.Attr {
	if s.added == nil {
		return nil
	}
	return *s.added
}

// requestText is v, a string from a request or the application, made
// safe to store in a summary (policyRequest): redacted as check messages
// are (user information, sensitive key=value pairs, JSON Web Tokens, the
// same percent-encoded), then capped to max bytes of its JSON encoding.
// A value with nothing redaction could start from costs one scan and no
// allocation (redact.Request).
func (s *Service) requestText(v string, max int) string {
	return capField(redact.Request(bounded(v, max), s.keys), max)
}

// bounded is v cut to the bytes that can fill a field capped at max,
// whatever they hold: what comes later is never shown, and a huge value
// costs bounded time to redact.
func bounded(v string, max int) string {
	if len(v) > 4*max {
		return v[:4*max]
	}
	return v
}

// sampled reports whether a request is summarised at rate r.
func sampled(r float64) bool { return mrand.Float64() < r }
