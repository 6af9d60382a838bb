package dockerflow

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// response is an endpoint's answer, written the same by every adapter.
type response struct {
	status      int
	contentType string // "" for none
	allow       string // "" for none
	body        []byte
	vary        bool // Vary: Authorization, the body depending on it
}

var (
	noStore = []string{"no-store"}

	lbResponse          = &response{status: http.StatusOK}
	notAllowedResponse  = textResponse(http.StatusMethodNotAllowed, "method not allowed", "GET, HEAD")
	versionNotFound     = textResponse(http.StatusNotFound, "version.json not found", "")
	notFoundResponse    = textResponse(http.StatusNotFound, "404 page not found", "")
	heartbeatNoResponse = []byte(`{"status":"error"}`)
)

func textResponse(status int, text, allow string) *response {
	return &response{status: status, contentType: "text/plain; charset=utf-8", allow: allow, body: []byte(text)}
}

// respond answers a request to an endpoint. For /__error__ it logs the
// call and returns ErrErrorEndpoint, which the adapter sends down the
// framework's error path; no endpoint ("") is answered 404.
func (s *Service) respond(r *http.Request, ep Endpoint) (*response, error) {
	ctx, method := r.Context(), r.Method
	if ep == "" || ep == endpointNotFound {
		return notFoundResponse, nil
	}
	// The summary's route is the endpoint's path (under the router's
	// prefix, if any), without a trailing slash, on every adapter.
	t, _ := ctx.Value(trackerKey{}).(*Tracker)
	if t != nil {
		t.setRoute(strings.TrimSuffix(t.sum.Path, "/"), routeByEndpoint)
	}
	if method != http.MethodGet && method != http.MethodHead {
		return notAllowedResponse, nil
	}
	switch ep {
	case PathLBHeartbeat:
		return s.life.lb.Load(), nil
	case PathVersion:
		return s.respondVersion(ctx), nil
	case PathHeartbeat:
		return s.respondHeartbeat(r), nil
	}
	s.log.LogEvent(ctx, Event{Type: mozlog.TypeError, Level: LevelError, Msg: "The __error__ endpoint was called"})
	if t != nil {
		// The stack where the error was raised, for the summary of an
		// adapter whose error path is a returned error (echo), as a
		// panic's is: the call checks that a failure reaches the log with
		// its traceback.
		stack := traceback(debug.Stack())
		t.mu.Lock()
		t.rareState().raisedAt = stack
		t.mu.Unlock()
	}
	return nil, ErrErrorEndpoint
}

func (s *Service) respondVersion(ctx context.Context) *response {
	// As for the heartbeat: a half-closed client still reads the answer,
	// and the load is bounded by its own timeout.
	body, err := s.version.get(context.WithoutCancel(ctx))
	var ve *versionError
	switch {
	case err == nil:
		return &response{status: http.StatusOK, contentType: "application/json", body: body}
	case errors.As(err, &ve):
		return textResponse(http.StatusInternalServerError, ve.reason, "")
	case errors.Is(err, fs.ErrNotExist):
		return versionNotFound
	}
	return textResponse(http.StatusServiceUnavailable, "request ended before version.json was loaded", "")
}

func (s *Service) respondHeartbeat(r *http.Request) *response {
	ctx := r.Context()
	// The request's context ends when its client half-closes the
	// connection (printf … | nc, a load balancer's tcp-check), who still
	// reads the answer: wait for the run whatever the context says. The
	// wait is bounded by the checks' timeouts.
	rep, err := s.Heartbeat(context.WithoutCancel(ctx))
	if err != nil {
		return &response{status: s.cfg.HeartbeatFailedStatusCode, contentType: "application/json", body: heartbeatNoResponse}
	}
	status := http.StatusOK
	if rep.Level.Failed() {
		status = s.cfg.HeartbeatFailedStatusCode
	}
	body := rep.body
	if rep.detailed != nil && s.details.shows(r) {
		body = rep.detailed
	}
	return &response{status: status, contentType: "application/json", body: body, vary: s.details.per()}
}
