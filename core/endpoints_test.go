package dockerflow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The endpoint table: paths with and without a trailing slash, and
// /__error__ only when enabled.
func TestMatch(t *testing.T) {
	off := testService(t, Config{})
	on := testService(t, Config{EnableErrorEndpoint: true})
	for path, want := range map[string]endpoint{
		"/__version__": endpointVersion, "/__version__/": endpointVersion, "/__heartbeat__": endpointHeartbeat,
		"/__lbheartbeat__/": endpointLBHeartbeat, "/__error__": endpointError, "/__error__/": endpointError,
		"/": endpointNone, "/__heartbeat__x": endpointNone, "/__heartbeat__//": endpointNone, "/x/__heartbeat__": endpointNone,
	} {
		if got := on.match(path); got != want {
			t.Errorf("match(%q) = %d, want %d", path, got, want)
		}
		if want == endpointError && off.match(path) != endpointNone {
			t.Errorf("match(%q) with /__error__ off = %d", path, off.match(path))
		}
	}
}

// Each endpoint's answer, for GET, HEAD and other methods.
func TestRespond(t *testing.T) {
	var passed, failed int
	fail := false
	s := testService(t, Config{EnableErrorEndpoint: true, HeartbeatFailedStatusCode: 503,
		VersionLoader:   func(context.Context) ([]byte, error) { return []byte(`{"version": "1"}`), nil },
		HeartbeatPassed: func(context.Context, *Report) { passed++ },
		HeartbeatFailed: func(context.Context, *Report) { failed++ },
	})
	_ = s.Register(Check{Name: "c", Func: func(context.Context) []Message {
		if fail {
			return []Message{Error("x.E1", "down")}
		}
		return nil
	}})
	ctx := context.Background()
	for _, tc := range []struct {
		ep     endpoint
		method string
		status int
		body   string
	}{
		{endpointLBHeartbeat, "GET", 200, ""},
		{endpointLBHeartbeat, "HEAD", 200, ""},
		{endpointVersion, "GET", 200, `{"version":"1"}`},
		{endpointHeartbeat, "GET", 200, `{"status":"ok"}`},
		{endpointHeartbeat, "POST", 405, "method not allowed"},
		{endpointVersion, "DELETE", 405, "method not allowed"},
	} {
		resp, err := s.respond(ctx, tc.ep, tc.method)
		if err != nil || resp.status != tc.status || string(resp.body) != tc.body {
			t.Errorf("%d %s: %+v %v, want %d %q", tc.ep, tc.method, resp, err, tc.status, tc.body)
		}
	}
	if resp, _ := s.respond(ctx, endpointHeartbeat, "POST"); resp.allow != "GET, HEAD" {
		t.Errorf("405 without Allow: %+v", resp)
	}
	fail = true
	// A new run: the ok report above was received, so it is not reused.
	if resp, _ := s.respond(ctx, endpointHeartbeat, "GET"); resp.status != 503 || string(resp.body) != `{"status":"error"}` {
		t.Errorf("failing heartbeat: %d %s", resp.status, resp.body)
	}
	if passed != 1 || failed != 1 {
		t.Errorf("hooks: passed %d, failed %d; want 1 and 1", passed, failed)
	}
	if resp, err := s.respond(ctx, endpointError, "GET"); resp != nil || !errors.Is(err, ErrErrorEndpoint) {
		t.Errorf("/__error__: %+v %v", resp, err)
	}
	if resp, err := s.respond(ctx, endpointNone, "GET"); resp != nil || err != nil {
		t.Errorf("no endpoint: %+v %v", resp, err)
	}
}

// A tracked request: its ID from the header or a new one, echoed unless
// turned off; the user ID; the route of an endpoint; a panic's summary.
func TestTrackRequest(t *testing.T) {
	log := &recorder{}
	s := testService(t, Config{Logger: log})
	req := httptest.NewRequest("GET", "/__heartbeat__/", nil)
	req.Header.Set("X-Request-ID", "given")
	h := http.Header{}
	req, tr := s.trackRequest(req, h)
	if tr.RequestID() != "given" || RequestID(req.Context()) != "given" || h.Get("X-Request-Id") != "given" {
		t.Errorf("request ID: %q %q %q", tr.RequestID(), RequestID(req.Context()), h.Get("X-Request-Id"))
	}
	if !SetUserID(req.Context(), "ann") || SetUserID(context.Background(), "bob") {
		t.Error("SetUserID: want true on a tracked context, false elsewhere")
	}
	_, _ = s.respond(req.Context(), endpointHeartbeat, "GET")
	tr.SetRoute("/__heartbeat__/") // the framework's pattern does not replace the endpoint's
	h.Set("Location", "/elsewhere")
	func() {
		defer func() {
			if v := recover(); v != nil {
				tr.Panicked(0, v)
			}
		}()
		panic(errors.New("boom"))
	}()
	sums := log.summaries()
	if len(sums) != 1 {
		t.Fatalf("%d summaries", len(sums))
	}
	sum := sums[0]
	if sum.UID != "ann" || sum.Route != "/__heartbeat__" || sum.Level != LevelError || sum.Errno != 500 || sum.Code != 500 ||
		sum.Msg != "boom" || sum.Error != "boom" || !strings.Contains(sum.Traceback, "TestTrackRequest") {
		t.Errorf("summary %+v", sum)
	}
	if h.Get("Location") != "" || h.Get("Cache-Control") != "no-store" || h.Get("X-Request-Id") != "given" {
		t.Errorf("headers for the recovered 500: %v", h)
	}

	quiet := testService(t, Config{Logger: &recorder{}, DisableRequestIDEcho: true})
	h = http.Header{}
	_, tr = quiet.trackRequest(httptest.NewRequest("GET", "/", nil), h)
	if len(h) != 0 || !validRequestID(tr.RequestID()) {
		t.Errorf("echo off: headers %v, ID %q", h, tr.RequestID())
	}
}
