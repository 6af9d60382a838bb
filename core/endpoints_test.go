package dockerflow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The Endpoint table: paths with and without a trailing slash, and
// /__error__ only when enabled.
func TestMatch(t *testing.T) {
	off := testService(t, Config{})
	on := testService(t, Config{EnableErrorEndpoint: true})
	for path, want := range map[string]Endpoint{
		"/__version__": PathVersion, "/__version__/": PathVersion, "/__heartbeat__": PathHeartbeat,
		"/__lbheartbeat__/": PathLBHeartbeat, "/__error__": PathError, "/__error__/": PathError,
		"/": Endpoint(""), "/__heartbeat__x": Endpoint(""), "/__heartbeat__//": Endpoint(""), "/x/__heartbeat__": Endpoint(""),
	} {
		if got := on.match(path); got != want {
			t.Errorf("match(%q) = %q, want %q", path, got, want)
		}
		if want == PathError && off.match(path) != Endpoint("") {
			t.Errorf("match(%q) with /__error__ off = %q", path, off.match(path))
		}
	}
}

// Each endpoint's answer, for GET, HEAD and other methods.
func TestRespond(t *testing.T) {
	var passed, failed int
	fail := false
	s := testService(t, Config{EnableErrorEndpoint: true, HeartbeatFailedStatusCode: 503,
		VersionLoader: func(context.Context) ([]byte, error) { return []byte(`{"version": "1"}`), nil },
		Observers: []Observer{{Heartbeat: func(_ context.Context, r *Report) {
			if r.Level.Failed() {
				failed++
			} else {
				passed++
			}
		}}},
	})
	_ = s.Register(Check{Name: "c", Func: func(context.Context) []Message {
		if fail {
			return []Message{Error("x.E1", "down")}
		}
		return nil
	}})
	ctx := context.Background()
	for _, tc := range []struct {
		ep     Endpoint
		method string
		status int
		body   string
	}{
		{PathLBHeartbeat, "GET", 200, ""},
		{PathLBHeartbeat, "HEAD", 200, ""},
		{PathVersion, "GET", 200, `{"version":"1"}`},
		{PathHeartbeat, "GET", 200, `{"status":"ok"}`},
		{PathHeartbeat, "POST", 405, "method not allowed"},
		{PathVersion, "DELETE", 405, "method not allowed"},
	} {
		resp, err := respondTo(s, ctx, tc.ep, tc.method)
		if err != nil || resp.status != tc.status || string(resp.body) != tc.body {
			t.Errorf("%q %s: %+v %v, want %d %q", tc.ep, tc.method, resp, err, tc.status, tc.body)
		}
	}
	if resp, _ := respondTo(s, ctx, PathHeartbeat, "POST"); resp.allow != "GET, HEAD" {
		t.Errorf("405 without Allow: %+v", resp)
	}
	fail = true
	// A new run: the ok report above was received, so it is not reused.
	if resp, _ := respondTo(s, ctx, PathHeartbeat, "GET"); resp.status != 503 || string(resp.body) != `{"status":"error"}` {
		t.Errorf("failing heartbeat: %d %s", resp.status, resp.body)
	}
	if passed != 1 || failed != 1 {
		t.Errorf("hooks: passed %d, failed %d; want 1 and 1", passed, failed)
	}
	if resp, err := respondTo(s, ctx, PathError, "GET"); resp != nil || !errors.Is(err, ErrErrorEndpoint) {
		t.Errorf("/__error__: %+v %v", resp, err)
	}
	if resp, err := respondTo(s, ctx, Endpoint(""), "GET"); resp == nil || resp.status != 404 || err != nil {
		t.Errorf("no endpoint: %+v %v, want a 404", resp, err)
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
	req, tr := s.Adapter().Track(req, h)
	if RequestID(req.Context()) != "given" || RequestID(req.Context()) != "given" || h.Get("X-Request-Id") != "given" {
		t.Errorf("request ID: %q %q %q", RequestID(req.Context()), RequestID(req.Context()), h.Get("X-Request-Id"))
	}
	if !SetUserID(req.Context(), "ann") || SetUserID(context.Background(), "bob") {
		t.Error("SetUserID: want true on a tracked context, false elsewhere")
	}
	_, _ = respondTo(s, req.Context(), PathHeartbeat, "GET")
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
	req, tr = quiet.Adapter().Track(httptest.NewRequest("GET", "/", nil), h)
	if len(h) != 0 || !validRequestID(RequestID(req.Context())) {
		t.Errorf("echo off: headers %v, ID %q", h, RequestID(req.Context()))
	}
}

// respondTo is s.respond to a bare request for ep, with ctx and method.
func respondTo(s *Service, ctx context.Context, ep Endpoint, method string) (*response, error) {
	r := (&http.Request{Method: method, Header: http.Header{}, URL: &url.URL{Path: string(ep)}}).WithContext(ctx)
	return s.respond(r, ep)
}
