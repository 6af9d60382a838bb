package dockerflow

import (
	"context"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
)

// The gRPC status the summary of an RPC cut short by Close says.
const (
	codeUnavailable = 14
	nameUnavailable = "UNAVAILABLE"
)

// rpc follows one remote procedure call (gRPC) rather than an HTTP
// request: the same record and rules, with the call's status code. Package
// adapter hands it out as an adapter.CallTracker.
type rpc tracker

// trackCall starts the summary of the RPC named method ("/pkg.Service/
// Method"), whose request metadata are md (canonical keys: X-Request-Id,
// Traceparent, User-Agent…). The request ID and trace-id are taken as
// for HTTP; Config.UserID sees a request whose Method and URL.Path are
// method, whose Header is md and whose context is the call's.
func (s *Service) trackCall(ctx context.Context, method string, md http.Header) (context.Context, *rpc) {
	r := http.Request{Method: method, URL: &url.URL{Path: method}, Header: md, Proto: "HTTP/2.0", ProtoMajor: 2}
	t := s.track(ctx, &r, nil, true)
	if s.cfg.UserID != nil { // the only reader of the request: kept only for it
		t.handed = *r.WithContext(t.context())
		t.req = &t.handed
	}
	s.enter(t)
	return t.context(), (*rpc)(t)
}

// RequestID returns the call's ID.
func (c *rpc) RequestID() string { return c.sum.RID }

// EchoHeader returns the metadata key (lower case) and value that send
// the request ID back to the client; "" when the service does not echo.
func (c *rpc) EchoHeader() (key, value string) {
	if c.svc.cfg.DisableRequestIDEcho {
		return "", ""
	}
	return strings.ToLower(c.svc.ridHeader), c.sum.RID
}

// Done logs the summary of a call that ended with status code (its
// number, and name its canonical name: "NOT_FOUND"). err, when not empty,
// is the text of a failure on the server's side: the entry is then at
// error level, as a panic's.
func (c *rpc) Done(code int, name, err string) {
	c.sum.Code, c.sum.Errno, c.sum.Status = code, code, capField(name, capMethod)
	if err != "" {
		err = c.svc.failureText(err)
		c.sum.Level, c.sum.Msg, c.sum.Error = LevelError, err, err
	}
	(*tracker)(c).finish(&c.sum)
}

// Panicked logs the summary of a call whose handler panicked with v, at
// error level with the panic's text and stack; code and name are what the
// client is answered (INTERNAL).
func (c *rpc) Panicked(code int, name string, v any) {
	(*tracker)(c).recordPanic(v)
	msg := c.svc.failureText(panicText(v))
	c.sum.Code, c.sum.Errno, c.sum.Status = code, code, capField(name, capMethod)
	c.sum.Level, c.sum.Msg, c.sum.Error = LevelError, msg, msg
	c.sum.Traceback = redactText(traceback(debug.Stack()), c.svc.keys, nil)
	(*tracker)(c).finish(&c.sum)
}

// heartbeatInterval is how often the background loop runs the checks, 0
// when it does not.
func (s *Service) heartbeatInterval() time.Duration { return s.cfg.HeartbeatInterval }
