package dockerflowtest

// Requests: the request ID, the request.summary, and which requests get
// one.

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

func testRequestID(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{}, nil)
	long := strings.Repeat("a", 128)
	for _, tc := range []struct {
		name, in string
		kept     bool
	}{
		{name: "given", in: "abc-123", kept: true},
		{name: "printable", in: "a b~!\"{}", kept: true},
		{name: "max-length", in: long, kept: true},
		{name: "too-long", in: long + "a", kept: false},
		{name: "control", in: "a\x01b", kept: false},
		{name: "tab", in: "a\tb", kept: false},
		{name: "delete", in: "a\x7fb", kept: false},
		{name: "non-ascii", in: "caf\u00e9", kept: false},
		{name: "invalid-utf8", in: "a\xffb", kept: false},
		{name: "missing", in: "", kept: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.in != "" {
				hdr = []string{"X-Request-ID", tc.in}
			}
			rec := h.do("GET", "/rid", hdr...)
			got := rec.Header().Get("X-Request-ID")
			s := h.summary()
			if tc.kept && got != tc.in {
				t.Errorf("request ID %q answered as %q, want it kept", tc.in, got)
			}
			if !tc.kept && !uuidV4.MatchString(got) {
				t.Errorf("request ID %q answered as %q, want a new UUIDv4", tc.in, got)
			}
			if rec.Body.String() != got || s.RID != got {
				t.Errorf("context has %q, summary %q, header %q: want all equal", rec.Body.String(), s.RID, got)
			}
		})
	}
	t.Run("unique", func(t *testing.T) {
		a := h.do("GET", "/hello").Header().Get("X-Request-ID")
		b := h.do("GET", "/hello").Header().Get("X-Request-ID")
		h.log.Reset()
		if a == b {
			t.Errorf("two requests got the same ID %q", a)
		}
	})
	for _, tc := range []struct {
		name string
		cfg  dockerflow.Config
		env  map[string]string
	}{
		{name: "header-config", cfg: dockerflow.Config{RequestIDHeader: "X-Correlation-ID"}},
		{name: "header-env", env: map[string]string{"DOCKERFLOW_REQUEST_ID_HEADER_NAME": "x-correlation-id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nh, tc.cfg, tc.env)
			rec := h.do("GET", "/rid", "X-Correlation-ID", "corr-1", "X-Request-ID", "other")
			if got := rec.Header().Get("X-Correlation-ID"); got != "corr-1" || rec.Body.String() != "corr-1" {
				t.Errorf("header %q, context %q; want corr-1", got, rec.Body.String())
			}
			if rec.Header().Get("X-Request-ID") != "" {
				t.Errorf("X-Request-ID echoed though the header is X-Correlation-ID")
			}
			if s := h.summary(); s.RID != "corr-1" {
				t.Errorf("summary rid %q", s.RID)
			}
		})
	}
}

func testSummary(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{UserID: func(r *http.Request) string { return r.Header.Get("X-Test-User") }}, nil)
	t.Run("fields", func(t *testing.T) {
		h.do("GET", "/hello?secret=1&b=2", "User-Agent", "curl/8.0", "Accept-Language", "fr-CA", "X-Request-ID", "r-1")
		want := dockerflow.Summary{Level: dockerflow.LevelInfo, Agent: "curl/8.0", Lang: "fr-CA", Method: "GET",
			Path: "/hello", Code: 200, RID: "r-1"}
		if got := h.summary(); !sameSummary(got, want) {
			t.Errorf("summary =\n  %+v\nwant\n  %+v", got, want)
		}
	})
	for _, tc := range []struct {
		name, method, path string
		header             []string
		code, errno        int
		uid                string
	}{
		{name: "status", method: "GET", path: "/teapot", header: nil, code: 418, errno: 418, uid: ""},
		{name: "nothing-written", method: "GET", path: "/silent", header: nil, code: 200, errno: 0, uid: ""},
		{name: "not-found", method: "GET", path: "/nowhere", header: nil, code: 404, errno: 404, uid: ""},
		{name: "head", method: "HEAD", path: "/hello", header: nil, code: 200, errno: 0, uid: ""},
		{name: "uid-from-handler", method: "GET", path: "/user", header: []string{"X-Test-User", "from-func"}, code: 200, errno: 0, uid: "user-42"},
		{name: "uid-from-func", method: "GET", path: "/hello", header: []string{"X-Test-User", "from-func"}, code: 200, errno: 0, uid: "from-func"},
		{name: "endpoint", method: "GET", path: "/__heartbeat__", header: nil, code: 200, errno: 0, uid: ""},
		{name: "endpoint-lb", method: "GET", path: "/__lbheartbeat__", header: nil, code: 200, errno: 0, uid: ""},
		{name: "endpoint-405", method: "POST", path: "/__version__", header: nil, code: 405, errno: 405, uid: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := *h
			h.t = t
			rec := h.do(tc.method, tc.path, tc.header...)
			s := h.summary()
			if s.Code != tc.code || rec.Code != tc.code || s.Errno != tc.errno || s.Method != tc.method ||
				s.Path != tc.path || s.UID != tc.uid || s.Level != dockerflow.LevelInfo || s.Msg != "" {
				t.Errorf("answer %d, summary %+v; want code %d errno %d uid %q", rec.Code, s, tc.code, tc.errno, tc.uid)
			}
		})
	}
	t.Run("added-fields", func(t *testing.T) {
		// dockerflow.AddFields from the handler, with the context the
		// framework hands it: the fields join the summary, a key of the
		// summary's own prefixed.
		rec := h.do("GET", "/wide")
		s := h.summary()
		got := map[string]any{}
		for _, a := range s.AppendAttrs(nil) {
			got[a.Key] = a.Value.Any()
		}
		if rec.Code != 200 || s.Code != 200 || got["plan"] != "pro" || got["rows"] != int64(3) || got["app.code"] != int64(7) || got["code"] != int64(200) {
			t.Errorf("answer %d, summary fields %v; want plan, rows and app.code added", rec.Code, got)
		}
	})
	t.Run("opt-in-fields", func(t *testing.T) {
		// Config.SummaryFields size and remoteAddressChain: the body's
		// bytes as size, and the IP addresses of X-Forwarded-For then the
		// client's as remoteAddressChain (what is not an address left out).
		h := start(t, nh, dockerflow.Config{SummaryFields: []string{"size", "remoteAddressChain"}}, nil)
		for _, tc := range []struct {
			method, path, xff string
			size              int64
			chain             []string
		}{
			{"GET", "/hello", "203.0.113.7, password=S3CRET, 2001:db8::1", 5, []string{"203.0.113.7", "2001:db8::1", "192.0.2.1"}},
			{"GET", "/silent", "", 0, []string{"192.0.2.1"}},
			{"GET", "/__lbheartbeat__", "", 0, []string{"192.0.2.1"}},
		} {
			h.do(tc.method, tc.path, "X-Forwarded-For", tc.xff)
			got, sum := map[string]any{}, h.summary()
			for _, a := range sum.AppendAttrs(nil) {
				got[a.Key] = a.Value.Any()
			}
			if got["size"] != tc.size || fmt.Sprint(got["remoteAddressChain"]) != fmt.Sprint(tc.chain) {
				t.Errorf("%s: size %v, remoteAddressChain %v; want %d, %v", tc.path, got["size"], got["remoteAddressChain"], tc.size, tc.chain)
			}
		}
	})
	t.Run("traceparent", func(t *testing.T) {
		h.do("GET", "/hello", "Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		if s := h.summary(); s.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("summary trace-id %q, want the traceparent's", s.TraceID)
		}
		h.do("GET", "/hello", "Traceparent", "00-not-a-traceparent-01")
		if s := h.summary(); s.TraceID != "" {
			t.Errorf("an invalid traceparent gave trace-id %q", s.TraceID)
		}
	})
	t.Run("duration", func(t *testing.T) {
		h.do("GET", "/slow")
		if s := h.summary(); s.Duration < 20*time.Millisecond {
			t.Errorf("duration %v for a 20ms handler", s.Duration)
		}
	})
	t.Run("panic", func(t *testing.T) {
		rec := h.do("GET", "/panic", "X-Request-ID", "p-1")
		if rec.Code != 500 {
			t.Errorf("panicking handler answered %d, want 500", rec.Code)
		}
		want := dockerflow.Summary{Level: dockerflow.LevelError, Msg: "boom", Method: "GET", Path: "/panic", Code: 500, Errno: 500, RID: "p-1",
			Error: "boom"}
		got := h.summary()
		// The stack starts at the goroutine and names the panicking handler.
		if !strings.HasPrefix(got.Traceback, "goroutine ") || !strings.Contains(got.Traceback, "\npanic(") ||
			!strings.Contains(got.Traceback, "dockerflowtest.app.func") || len(got.Traceback) > 8<<10 {
			t.Errorf("traceback = %q, want the panicking goroutine's stack", got.Traceback)
		}
		if got.Traceback = ""; !sameSummary(got, want) {
			t.Errorf("summary =\n  %+v\nwant\n  %+v", got, want)
		}
		if rec.Header().Get("X-Request-ID") != "p-1" {
			t.Errorf("the 500 answer lost the request ID")
		}
		// Reported once, whatever the order of the middlewares, from the
		// handler's frame.
		reports := h.errors.take()
		if len(reports) != 1 {
			t.Fatalf("the panic was reported %d times, want once: %+v", len(reports), reports)
		}
		e := reports[0]
		if !e.Panic || e.Type != "string" || e.Text != "boom" || e.Summary.RID != "p-1" || e.Summary.Method != "GET" || e.Summary.Code != 500 {
			t.Errorf("error report %+v, summary %+v", e, e.Summary)
		}
		if f, _ := runtime.CallersFrames(e.Stack).Next(); !strings.Contains(f.Function, "dockerflowtest.app.func") {
			t.Errorf("the reported stack starts at %q, want the panicking handler", f.Function)
		}
	})
	t.Run("panic-text-redacted", func(t *testing.T) {
		if rec := h.do("GET", "/panic-secret"); rec.Code != 500 {
			t.Errorf("status %d, want 500", rec.Code)
		}
		got := h.summary()
		if strings.Contains(got.Msg+got.Error+got.Traceback, leakedSecret) || !strings.Contains(got.Msg, "postgres://app:xxxxx@db:5432/x") {
			t.Errorf("a panic's text is logged as it is: msg %q, error %q", got.Msg, got.Error)
		}
		for _, e := range h.errors.take() {
			if strings.Contains(e.Text+e.Summary.Error+e.Summary.Traceback, leakedSecret) {
				t.Errorf("a panic's text is reported as it is: %q", e.Text)
			}
		}
	})
	t.Run("panic-drops-handler-headers", func(t *testing.T) {
		rec := h.do("GET", "/panic-after-headers", "X-Request-ID", "p-2")
		if rec.Code != 500 {
			t.Errorf("status %d, want 500", rec.Code)
		}
		hdr := rec.Header()
		if hdr.Get("Cache-Control") != "no-store" || hdr.Get("Location") != "" || hdr.Get("X-App") != "" || hdr.Get("Set-Cookie") != "" ||
			hdr.Get("X-Api-Version") != "" || hdr.Get("X-Request-ID") != "p-2" {
			t.Errorf("the recovered 500 carries %v; want Cache-Control: no-store, the request ID, and none of the handler's other headers", hdr)
		}
		// Security headers protect the client whatever the answer.
		if hdr.Get("Strict-Transport-Security") != "max-age=63072000" || hdr.Get("Content-Security-Policy") != "default-src 'self'" || hdr.Get("X-Frame-Options") != "DENY" {
			t.Errorf("the recovered 500 dropped the security headers: %v", hdr)
		}
	})
	t.Run("panic-keeps-configured-headers", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{KeepHeadersOnPanic: []string{"x-api-version"}}, nil)
		rec := h.do("GET", "/panic-after-headers")
		if got := rec.Header().Get("X-Api-Version"); rec.Code != 500 || got != "7" || rec.Header().Get("X-App") != "" {
			t.Errorf("%d, X-Api-Version %q, headers %v: want the header KeepHeadersOnPanic names kept", rec.Code, got, rec.Header())
		}
	})
	for _, tc := range []struct {
		name string
		cfg  dockerflow.Config
		env  map[string]string
	}{
		{name: "querystring-config", cfg: dockerflow.Config{SummaryQueryString: true}},
		{name: "querystring-env", env: map[string]string{"DOCKERFLOW_SUMMARY_LOG_QUERYSTRING": "true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nh, tc.cfg, tc.env)
			for _, q := range []struct{ raw, want string }{
				{raw: "q=caf%C3%A9+x&n=1", want: "q=café+x&n=1"},
				{raw: "bad=%zz", want: "bad=%zz"},
				{raw: "user=ann&access_token=s3cr3t&api_key=k3y", want: "user=ann&access_token=xxxxx&api_key=xxxxx"},
				{raw: "", want: ""},
			} {
				h.do("GET", "/hello?"+q.raw)
				if s := h.summary(); !s.HasQueryString || s.QueryString != q.want || s.Path != "/hello" {
					t.Errorf("query %q: summary querystring %v %q path %q, want %q", q.raw, s.HasQueryString, s.QueryString, s.Path, q.want)
				}
			}
		})
	}
}

// sameSummary compares summaries but for their times and route, which
// frameworks know differently (adapters test their routes themselves).
func sameSummary(got, want dockerflow.Summary) bool {
	got.Duration, want.Duration = 0, 0
	got.End, want.End = time.Time{}, time.Time{}
	got.Route, want.Route = "", ""
	return got == want
}

func testSummarySelection(t *testing.T, nh NewHandler) {
	t.Run("exclude", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, map[string]string{"DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS": "/__lbheartbeat__, /hello"})
		rec := h.do("GET", "/__lbheartbeat__")
		h.do("GET", "/hello")
		h.do("GET", "/teapot")
		if rec.Header().Get("X-Request-ID") == "" {
			t.Errorf("excluded path got no request ID")
		}
		if s := h.summary(); s.Path != "/teapot" {
			t.Errorf("logged %q, want only /teapot", s.Path)
		}
	})
	// An excluded path covers the trailing-slash form the endpoints
	// serve, and no percent-encoded spelling (which is not the endpoint),
	// however the list spells it.
	t.Run("exclude-spellings", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, map[string]string{"DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS": "/__lbheartbeat__/, /__heartbeat__, /café"})
		for _, path := range []string{"/__lbheartbeat__", "/__lbheartbeat__/", "/__heartbeat__/", "/caf%C3%A9"} {
			h.do("GET", path)
		}
		if s := h.log.Summaries(); len(s) != 0 {
			t.Errorf("excluded paths were logged: %+v", s)
		}
		for _, path := range []string{"/%5F_lbheartbeat__", "/__heartbeat__%2F"} {
			h.log.Reset()
			h.do("GET", path)
			if s := h.log.Summaries(); len(s) != 1 || s[0].Path != path {
				t.Errorf("%s: summaries %+v, want it logged as spelled", path, s)
			}
		}
	})
	t.Run("sample", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{SummarySampleRate: 1e-9}, nil)
		for i := 0; i < 20; i++ {
			h.do("GET", "/hello")
		}
		h.do("GET", "/teapot")
		if s := h.summary(); s.Path != "/teapot" {
			t.Errorf("logged %q, want only the failed request", s.Path)
		}
	})
}
