package dockerflowtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
)

// NewHandler builds the handler of the adapter under test. It must:
//   - serve svc's endpoints;
//   - run svc's request middleware around every request, endpoints included;
//   - hand every other request to app;
//   - answer 500 when app panics or /__error__ fails, through the
//     framework's usual recovery and error handling.
type NewHandler func(svc *dockerflow.Service, app http.Handler) http.Handler

// uuidV4 matches a request ID the middleware made.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// harness is one service, its adapter and what it logs.
type harness struct {
	t   *testing.T
	svc *dockerflow.Service
	log *Logger
	h   http.Handler
}

// App is the application the suite puts behind the adapter.
func App() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	})
	mux.HandleFunc("/teapot", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})
	mux.HandleFunc("/panic-after-headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Header().Set("Location", "/elsewhere")
		w.Header().Set("X-App", "1")
		panic("boom after headers")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	})
	mux.HandleFunc("/user", func(w http.ResponseWriter, r *http.Request) {
		dockerflow.SetUserID(r.Context(), "user-42")
	})
	mux.HandleFunc("/rid", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(dockerflow.RequestID(r.Context())))
	})
	return mux
}

// start builds a service from the environment env (never the process's)
// and then cfg, whose non-zero fields win, as a service's code does; with
// the given checks, and the adapter around App.
func start(t *testing.T, newHandler NewHandler, cfg dockerflow.Config, env map[string]string, checks ...dockerflow.Check) *harness {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["APP_DIR"]; !ok && cfg.VersionFile == "" && cfg.VersionLoader == nil {
		env["APP_DIR"] = t.TempDir() // never the machine's /app
	}
	fromEnv, err := dockerflow.ConfigFromEnv(Env(env))
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	svc, log := NewService(t, overlay(fromEnv, cfg))
	if err := svc.Register(checks...); err != nil {
		t.Fatalf("Register: %v", err)
	}
	return &harness{t: t, svc: svc, log: log, h: newHandler(svc, App())}
}

// overlay returns base with the fields code sets (not zero) replaced.
func overlay(base, code dockerflow.Config) dockerflow.Config {
	b, c := reflect.ValueOf(&base).Elem(), reflect.ValueOf(code)
	for i := 0; i < b.NumField(); i++ {
		if f := b.Field(i); f.CanSet() && !c.Field(i).IsZero() {
			f.Set(c.Field(i))
		}
	}
	return base
}

// do sends one request and returns the recorded answer.
func (h *harness) do(method, target string, header ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

// want checks an answer's status, body and exact header set. Headers not
// named in hdr must be absent, except the request ID, which every answer
// must carry (its value is checked elsewhere).
func (h *harness) want(rec *httptest.ResponseRecorder, status int, body string, hdr map[string]string) {
	h.t.Helper()
	if rec.Code != status {
		h.t.Errorf("status = %d, want %d (body %q)", rec.Code, status, rec.Body.String())
	}
	if got := rec.Body.String(); got != body {
		h.t.Errorf("body =\n  %s\nwant\n  %s", got, body)
	}
	got := rec.Header()
	if got.Get("X-Request-Id") == "" && adapter.RequestIDHeader(h.svc) == "X-Request-Id" {
		h.t.Errorf("no %s header on the answer", "X-Request-Id")
	}
	for k, v := range hdr {
		if got.Get(k) != v {
			h.t.Errorf("header %s = %q, want %q", k, got.Get(k), v)
		}
	}
	var extra []string
	for k := range got {
		if _, ok := hdr[k]; !ok && k != adapter.RequestIDHeader(h.svc) {
			extra = append(extra, k+": "+strings.Join(got[k], ","))
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		h.t.Errorf("unexpected headers: %v", extra)
	}
}

// summary returns the one summary logged since the last reset.
func (h *harness) summary() dockerflow.Summary {
	h.t.Helper()
	s := h.log.Summaries()
	if len(s) != 1 {
		h.t.Fatalf("%d summaries logged, want 1: %+v", len(s), s)
	}
	h.log.Reset()
	return s[0]
}

func jsonHeaders(body string) map[string]string {
	return map[string]string{
		"Cache-Control":  "no-store",
		"Content-Type":   "application/json",
		"Content-Length": itoa(len(body)),
	}
}

func textHeaders(body string) map[string]string {
	return map[string]string{
		"Cache-Control":  "no-store",
		"Content-Type":   "text/plain; charset=utf-8",
		"Content-Length": itoa(len(body)),
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// counter is a check that counts its runs.
func counter(name string, n *atomic.Int64, msgs ...dockerflow.Message) dockerflow.Check {
	return dockerflow.Check{Name: name, Func: func(context.Context) []dockerflow.Message {
		n.Add(1)
		return msgs
	}}
}

func fixed(name string, msgs ...dockerflow.Message) dockerflow.Check {
	return dockerflow.Check{Name: name, Func: func(context.Context) []dockerflow.Message { return msgs }}
}

// Run runs the conformance suite against the adapter newHandler builds.
func Run(t *testing.T, newHandler NewHandler) {
	t.Run("lbheartbeat", func(t *testing.T) { testLBHeartbeat(t, newHandler) })
	t.Run("methods", func(t *testing.T) { testMethods(t, newHandler) })
	t.Run("version", func(t *testing.T) { testVersion(t, newHandler) })
	t.Run("heartbeat", func(t *testing.T) { testHeartbeat(t, newHandler) })
	t.Run("heartbeat-failures", func(t *testing.T) { testHeartbeatFailures(t, newHandler) })
	t.Run("heartbeat-sharing", func(t *testing.T) { testHeartbeatSharing(t, newHandler) })
	t.Run("error-endpoint", func(t *testing.T) { testErrorEndpoint(t, newHandler) })
	t.Run("encoded-paths", func(t *testing.T) { testEncodedPaths(t, newHandler) })
	t.Run("endpoint-routes", func(t *testing.T) { testEndpointRoutes(t, newHandler) })
	t.Run("request-id", func(t *testing.T) { testRequestID(t, newHandler) })
	t.Run("summary", func(t *testing.T) { testSummary(t, newHandler) })
	t.Run("summary-selection", func(t *testing.T) { testSummarySelection(t, newHandler) })
}

func testLBHeartbeat(t *testing.T, nh NewHandler) {
	var runs atomic.Int64
	h := start(t, nh, dockerflow.Config{}, nil, counter("db", &runs, dockerflow.Error("x.E1", "down")))
	for _, tc := range []struct{ method, path string }{
		{"GET", "/__lbheartbeat__"}, {"GET", "/__lbheartbeat__/"}, {"HEAD", "/__lbheartbeat__"},
	} {
		rec := h.do(tc.method, tc.path)
		h.want(rec, 200, "", map[string]string{"Cache-Control": "no-store"})
	}
	if n := runs.Load(); n != 0 {
		t.Errorf("lbheartbeat ran the checks %d times, want 0", n)
	}
}

func testMethods(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{EnableErrorEndpoint: true}, nil)
	for _, path := range []string{"/__version__", "/__heartbeat__", "/__lbheartbeat__/", "/__error__"} {
		for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
			t.Run(method+path, func(t *testing.T) {
				h := *h
				h.t = t
				rec := h.do(method, path)
				hdr := textHeaders("method not allowed")
				hdr["Allow"] = "GET, HEAD"
				h.want(rec, 405, "method not allowed", hdr)
			})
		}
	}
	if ev := h.log.Events(adapter.TypeError); len(ev) != 0 {
		t.Errorf("405 answers of /__error__ logged %d error events, want 0", len(ev))
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testVersion(t *testing.T, nh NewHandler) {
	const compact = `{"source":"https://github.com/mozilla/x","version":"1.2.3","commit":"52ce614f","build":"https://ci/1","extra":{"k":[1,"<&>"]}}`
	const pretty = "{\n  \"source\": \"https://github.com/mozilla/x\",\n  \"version\": \"1.2.3\",\n  \"commit\": \"52ce614f\",\n" +
		"  \"build\": \"https://ci/1\",\n  \"extra\": {\"k\": [1, \"<&>\"]}\n}\n"

	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "version.json"), pretty)
		h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
		h.want(h.do("GET", "/__version__"), 200, compact, jsonHeaders(compact))
		h.want(h.do("GET", "/__version__/"), 200, compact, jsonHeaders(compact))
		h.want(h.do("HEAD", "/__version__"), 200, "", jsonHeaders(compact))
	})
	t.Run("explicit-path-wins", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "v.json"), `{"version":"code"}`)
		writeFile(t, filepath.Join(dir, "e.json"), `{"version":"env"}`)
		h := start(t, nh, dockerflow.Config{VersionFile: filepath.Join(dir, "v.json")},
			map[string]string{"DOCKERFLOW_VERSION_FILE": filepath.Join(dir, "e.json")})
		h.want(h.do("GET", "/__version__"), 200, `{"version":"code"}`, jsonHeaders(`{"version":"code"}`))
		h = start(t, nh, dockerflow.Config{}, map[string]string{"DOCKERFLOW_VERSION_FILE": filepath.Join(dir, "e.json")})
		h.want(h.do("GET", "/__version__"), 200, `{"version":"env"}`, jsonHeaders(`{"version":"env"}`))
	})
	t.Run("missing-then-written", func(t *testing.T) {
		dir := t.TempDir()
		h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
		const nf = "version.json not found"
		h.want(h.do("GET", "/__version__"), 404, nf, textHeaders(nf))
		h.want(h.do("HEAD", "/__version__"), 404, "", textHeaders(nf))
		writeFile(t, filepath.Join(dir, "version.json"), compact)
		h.want(h.do("GET", "/__version__"), 200, compact, jsonHeaders(compact))
		// Read once: a later change is not seen.
		writeFile(t, filepath.Join(dir, "version.json"), `{"version":"changed"}`)
		h.want(h.do("GET", "/__version__"), 200, compact, jsonHeaders(compact))
		if ev := h.log.Events(""); len(ev) != 1 || ev[0].Level != dockerflow.LevelWarning || !strings.Contains(ev[0].Msg, dir) {
			t.Errorf("a missing version.json logged %+v, want one warning naming where it was looked for", ev)
		}
	})
	big := `{"pad":"` + strings.Repeat("x", (1<<20)) + `"}`
	for _, tc := range []struct{ name, content, body string }{
		{"malformed", `{"version": "1.0",`, "version.json is not valid JSON"},
		{"truncated", `{"version": "1.0`, "version.json is not valid JSON"},
		{"empty", ``, "version.json is not valid JSON"},
		{"array", `["1.0"]`, "version.json is not a JSON object"},
		{"null", `null`, "version.json is not a JSON object"},
		{"string", `"1.0"`, "version.json is not a JSON object"},
		{"deep", strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000), "version.json is not valid JSON"},
		{"trailing-garbage", `{"version":"1"} x`, "version.json is not valid JSON"},
		{"oversized", big, "version.json is larger than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "version.json"), tc.content)
			h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
			for i := 0; i < 3; i++ {
				h.want(h.do("GET", "/__version__"), 500, tc.body, textHeaders(tc.body))
			}
			ev := h.log.Events(adapter.TypeVersion)
			if len(ev) != 1 {
				t.Fatalf("logged %d version events over 3 requests, want 1", len(ev))
			}
			if ev[0].Level != dockerflow.LevelError || !strings.Contains(ev[0].Msg, tc.body) || len(ev[0].Msg) > 2000 {
				t.Errorf("event = %v %q, want error level naming %q", ev[0].Level, ev[0].Msg, tc.body)
			}
		})
	}
	t.Run("not-a-file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "version.json"), 0o755); err != nil {
			t.Fatal(err)
		}
		h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
		const body = "version.json is not a regular file"
		h.want(h.do("GET", "/__version__"), 500, body, textHeaders(body))
		if ev := h.log.Events(adapter.TypeVersion); len(ev) != 1 || !strings.Contains(ev[0].Msg, "its mode is d") {
			t.Errorf("events %+v, want one naming the cause", ev)
		}
	})
	t.Run("loader", func(t *testing.T) {
		var calls atomic.Int64
		h := start(t, nh, dockerflow.Config{VersionLoader: func(context.Context) ([]byte, error) {
			if calls.Add(1) == 1 {
				return nil, dockerflow.ErrVersionNotFound
			}
			return []byte(` {"version": "from-loader"} `), nil
		}}, nil)
		const nf = "version.json not found"
		h.want(h.do("GET", "/__version__"), 404, nf, textHeaders(nf))
		const body = `{"version":"from-loader"}`
		h.want(h.do("GET", "/__version__"), 200, body, jsonHeaders(body))
		h.want(h.do("GET", "/__version__"), 200, body, jsonHeaders(body))
		if n := calls.Load(); n != 2 {
			t.Errorf("loader called %d times, want 2 (not found, then cached)", n)
		}
	})
	t.Run("build-info-fallback", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{VersionFromBuildInfo: true}, nil)
		rec := h.do("GET", "/__version__")
		if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), `{"source":`) || !strings.Contains(rec.Body.String(), `"commit":`) {
			t.Errorf("build-info version = %d %s, want 200 with source and commit", rec.Code, rec.Body)
		}
	})
}

func testHeartbeat(t *testing.T, nh NewHandler) {
	show := dockerflow.Config{HeartbeatShowDetails: true}
	for _, tc := range []struct {
		name   string
		cfg    dockerflow.Config
		env    map[string]string
		checks []dockerflow.Check
		status int
		body   string
	}{
		{"no-checks", dockerflow.Config{}, nil, nil, 200, `{"status":"ok"}`},
		{"no-checks-details", show, nil, nil, 200, `{"status":"ok","checks":{},"details":{}}`},
		{"ok-hidden", dockerflow.Config{}, nil, []dockerflow.Check{fixed("db"), fixed("redis")}, 200, `{"status":"ok"}`},
		{"ok-details", show, nil, []dockerflow.Check{fixed("redis"), fixed("db", dockerflow.Message{ID: "x.I0", Level: dockerflow.LevelOK, Text: "fine"})},
			200, `{"status":"ok","checks":{"db":"ok","redis":"ok"},"details":{}}`},
		{"ok-details-env", dockerflow.Config{}, map[string]string{"DOCKERFLOW_HEARTBEAT_SHOW_DETAILS": "true"}, []dockerflow.Check{fixed("db")},
			200, `{"status":"ok","checks":{"db":"ok"},"details":{}}`},
		{"info", show, nil, []dockerflow.Check{fixed("db", dockerflow.Info("x.I001", "note"))},
			200, `{"status":"info","checks":{"db":"info"},"details":{"db":{"status":"info","level":20,"messages":{"x.I001":"note"}}}}`},
		{"warning-passes", show, nil, []dockerflow.Check{fixed("database"), fixed("redis", dockerflow.Warning("dockerflow.health.W001", "slow <1s> & \"late\""))},
			200, `{"status":"warning","checks":{"database":"ok","redis":"warning"},"details":{"redis":{"status":"warning","level":30,"messages":{"dockerflow.health.W001":"slow <1s> & \"late\""}}}}`},
		{"warning-hidden", dockerflow.Config{}, nil, []dockerflow.Check{fixed("redis", dockerflow.Warning("x.W1", "slow"))}, 200, `{"status":"warning"}`},
		{"error-hidden", dockerflow.Config{}, nil, []dockerflow.Check{fixed("db", dockerflow.Error("dockerflow.health.E001", "password=hunter2 leaked?"))},
			500, `{"status":"error"}`},
		{"error-details", show, nil, []dockerflow.Check{
			fixed("db", dockerflow.Error("dockerflow.health.E001", "cannot connect"), dockerflow.Warning("dockerflow.health.W001", "behind")),
			fixed("cache", dockerflow.Debug("x.D1", "d"))},
			500, `{"status":"error","checks":{"cache":"debug","db":"error"},"details":{"cache":{"status":"debug","level":10,"messages":{"x.D1":"d"}},"db":{"status":"error","level":40,"messages":{"dockerflow.health.E001":"cannot connect","dockerflow.health.W001":"behind"}}}}`},
		{"critical", show, nil, []dockerflow.Check{fixed("db", dockerflow.Critical("x.C1", "gone"))},
			500, `{"status":"critical","checks":{"db":"critical"},"details":{"db":{"status":"critical","level":50,"messages":{"x.C1":"gone"}}}}`},
		{"unknown-level", show, nil, []dockerflow.Check{fixed("db", dockerflow.Message{ID: "x.U1", Level: 35, Text: "odd"})},
			200, `{"status":"unknown","checks":{"db":"unknown"},"details":{"db":{"status":"unknown","level":35,"messages":{"x.U1":"odd"}}}}`},
		{"same-id-twice", show, nil, []dockerflow.Check{fixed("db", dockerflow.Warning("x.W1", "a"), dockerflow.Warning("x.W1", "b"))},
			200, `{"status":"warning","checks":{"db":"warning"},"details":{"db":{"status":"warning","level":30,"messages":{"x.W1":"a; b"}}}}`},
		{"failed-code-config", dockerflow.Config{HeartbeatFailedStatusCode: 503}, nil, []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"))},
			503, `{"status":"error"}`},
		{"failed-code-env", dockerflow.Config{}, map[string]string{"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "503"}, []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"))},
			503, `{"status":"error"}`},
		{"failed-code-code-wins", dockerflow.Config{HeartbeatFailedStatusCode: 502}, map[string]string{"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "503"},
			[]dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"))}, 502, `{"status":"error"}`},
		{"silenced", dockerflow.Config{HeartbeatShowDetails: true, SilencedChecks: []string{"x.E1"}}, nil,
			[]dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"), dockerflow.Warning("x.W1", "slow"))},
			200, `{"status":"warning","checks":{"db":"warning"},"details":{"db":{"status":"warning","level":30,"messages":{"x.W1":"slow"}}}}`},
		{"silenced-env", show, map[string]string{"DOCKERFLOW_SILENCED_CHECKS": "x.W1, x.E1"},
			[]dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"), dockerflow.Warning("x.W1", "slow"))},
			200, `{"status":"ok","checks":{"db":"ok"},"details":{}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nh, tc.cfg, tc.env, tc.checks...)
			h.want(h.do("GET", "/__heartbeat__"), tc.status, tc.body, jsonHeaders(tc.body))
			h.want(h.do("GET", "/__heartbeat__/"), tc.status, tc.body, jsonHeaders(tc.body))
			h.want(h.do("HEAD", "/__heartbeat__"), tc.status, "", jsonHeaders(tc.body))
		})
	}

	t.Run("messages-logged-at-their-level", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, nil,
			fixed("db", dockerflow.Error("x.E1", "down"), dockerflow.Message{ID: "x.OK", Text: "fine"}),
			fixed("redis", dockerflow.Warning("x.W1", "slow")), fixed("quiet"))
		h.do("GET", "/__heartbeat__")
		got := map[string]dockerflow.Level{}
		for _, e := range h.log.Events(adapter.TypeHeartbeat) {
			got[e.Msg] = e.Level
			if !hasAttr(e, "check") || !hasAttr(e, "id") {
				t.Errorf("event %q lacks check or id: %v", e.Msg, e.Attrs)
			}
		}
		want := map[string]dockerflow.Level{"down": dockerflow.LevelError, "slow": dockerflow.LevelWarning}
		if len(got) != len(want) || got["down"] != want["down"] || got["slow"] != want["slow"] {
			t.Errorf("logged %v, want %v", got, want)
		}
	})
	t.Run("hooks", func(t *testing.T) {
		var passed, failed atomic.Int64
		var fail atomic.Bool
		cfg := dockerflow.Config{
			HeartbeatPassed: func(_ context.Context, r *dockerflow.Report) { passed.Add(1) },
			HeartbeatFailed: func(_ context.Context, r *dockerflow.Report) {
				if r.Status() != "error" {
					t.Errorf("failed hook got status %q", r.Status())
				}
				failed.Add(1)
			},
		}
		h := start(t, nh, cfg, nil, dockerflow.Check{Name: "flaky", Func: func(context.Context) []dockerflow.Message {
			if fail.Load() {
				return []dockerflow.Message{dockerflow.Error("x.E1", "down")}
			}
			return nil
		}})
		h.do("GET", "/__heartbeat__")
		fail.Store(true)
		h.do("GET", "/__heartbeat__")
		h.do("GET", "/__heartbeat__")
		if passed.Load() != 1 || failed.Load() != 2 {
			t.Errorf("passed %d, failed %d; want 1 and 2", passed.Load(), failed.Load())
		}
	})
}

func hasAttr(e dockerflow.Event, key string) bool {
	for _, a := range e.Attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

func testHeartbeatFailures(t *testing.T, nh NewHandler) {
	t.Run("timeout", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{HeartbeatShowDetails: true, CheckTimeout: 50 * time.Millisecond}, nil,
			dockerflow.Check{Name: "hang", Func: func(ctx context.Context) []dockerflow.Message {
				<-ctx.Done()
				return nil
			}},
			dockerflow.Check{Name: "own", Timeout: 30 * time.Millisecond, Func: func(ctx context.Context) []dockerflow.Message {
				<-ctx.Done()
				return nil
			}},
			fixed("db"))
		began := time.Now()
		const body = `{"status":"error","checks":{"db":"ok","hang":"error","own":"error"},"details":{` +
			`"hang":{"status":"error","level":40,"messages":{"dockerflow.health.E100":"check timed out after 50ms"}},` +
			`"own":{"status":"error","level":40,"messages":{"dockerflow.health.E100":"check timed out after 30ms"}}}}`
		h.want(h.do("GET", "/__heartbeat__"), 500, body, jsonHeaders(body))
		if d := time.Since(began); d > 5*time.Second {
			t.Errorf("heartbeat took %v with 50ms timeouts", d)
		}
	})
	t.Run("ignores-context", func(t *testing.T) {
		release := make(chan struct{})
		var runs atomic.Int64
		h := start(t, nh, dockerflow.Config{HeartbeatShowDetails: true, CheckTimeout: 20 * time.Millisecond}, nil,
			dockerflow.Check{Name: "stuck", Func: func(context.Context) []dockerflow.Message {
				runs.Add(1)
				<-release
				return nil
			}})
		defer close(release)
		const first = `{"status":"error","checks":{"stuck":"error"},"details":{"stuck":{"status":"error","level":40,"messages":{"dockerflow.health.E100":"check timed out after 20ms"}}}}`
		h.want(h.do("GET", "/__heartbeat__"), 500, first, jsonHeaders(first))
		const again = `{"status":"error","checks":{"stuck":"error"},"details":{"stuck":{"status":"error","level":40,"messages":{"dockerflow.health.E101":"the check's previous run ignored its timeout and has not returned; not started again"}}}}`
		for i := 0; i < 3; i++ {
			h.want(h.do("GET", "/__heartbeat__"), 500, again, jsonHeaders(again))
		}
		if n := runs.Load(); n != 1 {
			t.Errorf("a check stuck past its timeout was started %d times, want 1", n)
		}
	})
	t.Run("panic", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{HeartbeatShowDetails: true}, nil,
			dockerflow.Check{Name: "bad", Func: func(context.Context) []dockerflow.Message { panic("kaboom") }},
			fixed("db"))
		const body = `{"status":"critical","checks":{"bad":"critical","db":"ok"},"details":{"bad":{"status":"critical","level":50,"messages":{"dockerflow.health.C100":"check panicked: kaboom"}}}}`
		h.want(h.do("GET", "/__heartbeat__"), 500, body, jsonHeaders(body))
		ev := h.log.Events(adapter.TypeHeartbeat)
		if len(ev) != 1 || ev[0].Level != dockerflow.LevelCritical {
			t.Errorf("events = %+v, want one critical", ev)
		}
	})
	t.Run("many-messages", func(t *testing.T) {
		msgs := make([]dockerflow.Message, 5000)
		for i := range msgs {
			msgs[i] = dockerflow.Warning("x.W"+itoa(i), strings.Repeat("long ", 1000))
		}
		msgs[4999] = dockerflow.Error("x.E1", "the last one fails")
		h := start(t, nh, dockerflow.Config{HeartbeatShowDetails: true}, nil, fixed("chatty", msgs...))
		rec := h.do("GET", "/__heartbeat__")
		if rec.Code != 500 {
			t.Errorf("status = %d, want 500: the level counts every message", rec.Code)
		}
		if n := rec.Body.Len(); n > 200_000 {
			t.Errorf("body is %d bytes, want it bounded", n)
		}
		if !strings.Contains(rec.Body.String(), `"dockerflow.health.W100":"4901 more messages not shown"`) {
			t.Errorf("body does not say messages were left out: %.300s", rec.Body.String())
		}
	})
}

func testHeartbeatSharing(t *testing.T, nh NewHandler) {
	t.Run("concurrent-requests-share-a-run", func(t *testing.T) {
		var runs atomic.Int64
		started := make(chan struct{}, 1)
		release := make(chan struct{})
		h := start(t, nh, dockerflow.Config{}, nil, dockerflow.Check{Name: "slow", Func: func(ctx context.Context) []dockerflow.Message {
			runs.Add(1)
			select {
			case started <- struct{}{}:
			default:
			}
			<-release
			return nil
		}})
		const n = 50
		var wg sync.WaitGroup
		codes := make([]int, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = h.do("GET", "/__heartbeat__").Code
			}()
		}
		<-started
		time.Sleep(50 * time.Millisecond) // let the others arrive and join
		close(release)
		wg.Wait()
		for i, c := range codes {
			if c != 200 {
				t.Errorf("request %d: status %d", i, c)
			}
		}
		// Requests that arrive after the run ends start a new one; sharing
		// means far fewer runs than requests.
		if r := runs.Load(); r >= n/2 {
			t.Errorf("%d concurrent heartbeats ran the check %d times", n, r)
		}
	})
	t.Run("cache", func(t *testing.T) {
		var runs atomic.Int64
		h := start(t, nh, dockerflow.Config{HeartbeatCacheTTL: time.Hour}, nil, counter("db", &runs))
		for i := 0; i < 5; i++ {
			h.want(h.do("GET", "/__heartbeat__"), 200, `{"status":"ok"}`, jsonHeaders(`{"status":"ok"}`))
		}
		if r := runs.Load(); r != 1 {
			t.Errorf("with a cache, 5 heartbeats ran the check %d times, want 1", r)
		}
	})
	t.Run("cache-expires", func(t *testing.T) {
		var runs atomic.Int64
		h := start(t, nh, dockerflow.Config{}, map[string]string{"DOCKERFLOW_HEARTBEAT_CACHE_TTL": "10ms"}, counter("db", &runs))
		h.do("GET", "/__heartbeat__")
		time.Sleep(30 * time.Millisecond)
		h.do("GET", "/__heartbeat__")
		if r := runs.Load(); r != 2 {
			t.Errorf("after the TTL, the check ran %d times, want 2", r)
		}
	})
	t.Run("background", func(t *testing.T) {
		var runs atomic.Int64
		h := start(t, nh, dockerflow.Config{HeartbeatInterval: time.Hour, HeartbeatShowDetails: true}, nil)
		// The loop's first run started in New, before this check was
		// registered: its report is stale, and the first heartbeat runs the
		// checks now registered rather than answer ok from nothing.
		if err := h.svc.Register(counter("db", &runs, dockerflow.Warning("x.W1", "slow"))); err != nil {
			t.Fatal(err)
		}
		const body = `{"status":"warning","checks":{"db":"warning"},"details":{"db":{"status":"warning","level":30,"messages":{"x.W1":"slow"}}}}`
		for i := 0; i < 3; i++ {
			h.want(h.do("GET", "/__heartbeat__"), 200, body, jsonHeaders(body))
		}
		if r := runs.Load(); r != 1 {
			t.Errorf("in background mode 3 requests ran the check %d times, want 1", r)
		}
	})
}

func testErrorEndpoint(t *testing.T, nh NewHandler) {
	t.Run("off-by-default", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, nil)
		rec := h.do("GET", "/__error__")
		if rec.Code != 404 {
			t.Errorf("disabled /__error__ answered %d, want the app's 404", rec.Code)
		}
		if ev := h.log.Events(adapter.TypeError); len(ev) != 0 {
			t.Errorf("disabled /__error__ logged %v", ev)
		}
	})
	for _, tc := range []struct {
		name string
		cfg  dockerflow.Config
		env  map[string]string
	}{
		{"enabled", dockerflow.Config{EnableErrorEndpoint: true}, nil},
		{"enabled-env", dockerflow.Config{}, map[string]string{"DOCKERFLOW_ENABLE_ERROR_ENDPOINT": "1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nh, tc.cfg, tc.env)
			for _, path := range []string{"/__error__", "/__error__/"} {
				h.log.Reset()
				rec := h.do("GET", path)
				if rec.Code != 500 {
					t.Errorf("%s answered %d, want 500", path, rec.Code)
				}
				ev := h.log.Events(adapter.TypeError)
				if len(ev) != 1 || ev[0].Level != dockerflow.LevelError || ev[0].Msg != "The __error__ endpoint was called" {
					t.Errorf("%s logged %+v, want one error event", path, ev)
				}
				s := h.summary()
				if s.Errno != 500 || s.Code != 500 || s.Path != path || s.Level != dockerflow.LevelError ||
					s.Error != dockerflow.ErrErrorEndpoint.Error() {
					t.Errorf("summary = %+v, want errno 500, code 500, at error level with the error", s)
				}
			}
		})
	}
}

// The endpoints are matched on the raw path, as a proxy's rule written on
// it sees them: a percent-encoded spelling is not an endpoint, on every
// adapter, so such a rule cannot be bypassed.
func testEncodedPaths(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{EnableErrorEndpoint: true}, nil)
	for _, path := range []string{"/%5F_heartbeat__", "/__heartbeat%5F_", "/__lbheartbeat__%2F", "/__error__%2F", "/%5F%5Fversion__"} {
		h.log.Reset()
		if rec := h.do("GET", path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want the application's 404", path, rec.Code)
		}
		if ev := h.log.Events(adapter.TypeError); len(ev) != 0 {
			t.Errorf("%s reached /__error__: %+v", path, ev)
		}
	}
}

// The summary's route for a Dockerflow endpoint is its path without a
// trailing slash, on every adapter, whatever the method.
func testEndpointRoutes(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{EnableErrorEndpoint: true}, nil)
	for _, path := range []string{"/__version__", "/__heartbeat__", "/__lbheartbeat__", "/__error__"} {
		for _, req := range []struct{ method, path string }{{"GET", path}, {"GET", path + "/"}, {"HEAD", path}, {"POST", path + "/"}} {
			h.log.Reset()
			h.do(req.method, req.path)
			s := h.log.Summaries()
			if len(s) != 1 || s[0].Route != path {
				t.Errorf("%s %s: summaries %+v, want one with route %q", req.method, req.path, s, path)
			}
		}
	}
}

func testRequestID(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{}, nil)
	long := strings.Repeat("a", 128)
	for _, tc := range []struct {
		name, in string
		kept     bool
	}{
		{"given", "abc-123", true},
		{"printable", "a b~!\"{}", true},
		{"max-length", long, true},
		{"too-long", long + "a", false},
		{"control", "a\x01b", false},
		{"tab", "a\tb", false},
		{"delete", "a\x7fb", false},
		{"non-ascii", "caf\u00e9", false},
		{"invalid-utf8", "a\xffb", false},
		{"missing", "", false},
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
		{"header-config", dockerflow.Config{RequestIDHeader: "X-Correlation-ID"}, nil},
		{"header-env", dockerflow.Config{}, map[string]string{"DOCKERFLOW_REQUEST_ID_HEADER_NAME": "x-correlation-id"}},
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
		{"status", "GET", "/teapot", nil, 418, 418, ""},
		{"nothing-written", "GET", "/silent", nil, 200, 0, ""},
		{"not-found", "GET", "/nowhere", nil, 404, 404, ""},
		{"head", "HEAD", "/hello", nil, 200, 0, ""},
		{"uid-from-handler", "GET", "/user", []string{"X-Test-User", "from-func"}, 200, 0, "user-42"},
		{"uid-from-func", "GET", "/hello", []string{"X-Test-User", "from-func"}, 200, 0, "from-func"},
		{"endpoint", "GET", "/__heartbeat__", nil, 200, 0, ""},
		{"endpoint-lb", "GET", "/__lbheartbeat__", nil, 200, 0, ""},
		{"endpoint-405", "POST", "/__version__", nil, 405, 405, ""},
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
			!strings.Contains(got.Traceback, "dockerflowtest.App.func") || len(got.Traceback) > 8<<10 {
			t.Errorf("traceback = %q, want the panicking goroutine's stack", got.Traceback)
		}
		if got.Traceback = ""; !sameSummary(got, want) {
			t.Errorf("summary =\n  %+v\nwant\n  %+v", got, want)
		}
		if rec.Header().Get("X-Request-ID") != "p-1" {
			t.Errorf("the 500 answer lost the request ID")
		}
	})
	t.Run("panic-drops-handler-headers", func(t *testing.T) {
		rec := h.do("GET", "/panic-after-headers", "X-Request-ID", "p-2")
		if rec.Code != 500 {
			t.Errorf("status %d, want 500", rec.Code)
		}
		hdr := rec.Header()
		if hdr.Get("Cache-Control") != "no-store" || hdr.Get("Location") != "" || hdr.Get("X-App") != "" || hdr.Get("X-Request-ID") != "p-2" {
			t.Errorf("the recovered 500 carries %v; want Cache-Control: no-store, the request ID, and none of the handler's headers", hdr)
		}
	})
	for _, tc := range []struct {
		name string
		cfg  dockerflow.Config
		env  map[string]string
	}{
		{"querystring-config", dockerflow.Config{SummaryQueryString: true}, nil},
		{"querystring-env", dockerflow.Config{}, map[string]string{"DOCKERFLOW_SUMMARY_LOG_QUERYSTRING": "true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, nh, tc.cfg, tc.env)
			for _, q := range []struct{ raw, want string }{
				{"q=caf%C3%A9+x&n=1", "q=café+x&n=1"},
				{"bad=%zz", "bad=%zz"},
				{"user=ann&access_token=s3cr3t&api_key=k3y", "user=ann&access_token=xxxxx&api_key=xxxxx"},
				{"", ""},
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
