package dockerflowtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
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

// leakedSecret is the password in what the suite's failing handlers
// panic with: a summary must never hold it.
const leakedSecret = "S3CRETPW2"

// harness is one service, its adapter and what it logs.
type harness struct {
	t      *testing.T
	svc    *dockerflow.Service
	log    *Logger
	h      http.Handler
	errors *errorReports
}

// errorReports records what the service's error observer is told.
type errorReports struct {
	mu   sync.Mutex
	list []dockerflow.ErrorReport
}

func (e *errorReports) observer() dockerflow.Observer {
	return dockerflow.Observer{Error: func(_ context.Context, r *dockerflow.ErrorReport) {
		e.mu.Lock()
		defer e.mu.Unlock()
		c := *r
		c.Summary = new(dockerflow.Summary)
		*c.Summary = *r.Summary
		e.list = append(e.list, c)
	}}
}

// take returns the reports so far, and forgets them.
func (e *errorReports) take() []dockerflow.ErrorReport {
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.list
	e.list = nil
	return l
}

// app is the application the suite puts behind the adapter.
func app() http.Handler {
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
		w.Header().Set("Set-Cookie", "session=1")
		w.Header().Set("Strict-Transport-Security", "max-age=63072000")
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Api-Version", "7")
		panic("boom after headers")
	})
	mux.HandleFunc("/panic-mid-body", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("the first half"))
		http.NewResponseController(w).Flush()
		panic("boom mid-body")
	})
	mux.HandleFunc("/panic-secret", func(w http.ResponseWriter, r *http.Request) {
		panic(fmt.Errorf("dial postgres://app:%s@db:5432/x failed: password=%q", leakedSecret, leakedSecret))
	})
	mux.HandleFunc("/abort", func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler) // as httputil.ReverseProxy does when the client left
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	})
	mux.HandleFunc("/user", func(w http.ResponseWriter, r *http.Request) {
		dockerflow.SetUserID(r.Context(), "user-42")
	})
	mux.HandleFunc("/wide", func(w http.ResponseWriter, r *http.Request) {
		if !dockerflow.AddFields(r.Context(), slog.String("plan", "pro"), slog.Int("rows", 3), slog.Int("code", 7)) {
			w.WriteHeader(http.StatusInternalServerError) // the handler's context is not the tracked request's
		}
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		// An endless answer (server-sent events), until the connection or
		// the request ends. Events of 2 KB: a writer between that cannot
		// flush still sends them soon.
		rc := http.NewResponseController(w)
		event := "data: " + strings.Repeat("x", 2<<10) + "\n\n"
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, event); err != nil || rc.Flush() != nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		// A websocket's shape: 101, then the connection is the handler's
		// until the client closes it.
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, "cannot hijack: "+err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		_, _ = io.Copy(io.Discard, buf)
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
	errs := &errorReports{}
	cfg.Observers = append(cfg.Observers[:len(cfg.Observers):len(cfg.Observers)], errs.observer())
	svc, log := NewService(t, overlay(fromEnv, cfg))
	if err := svc.Register(checks...); err != nil {
		t.Fatalf("Register: %v", err)
	}
	return &harness{t: t, svc: svc, log: log, h: newHandler(svc, app()), errors: errs}
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
	if got.Get("X-Request-Id") == "" && http.CanonicalHeaderKey(h.svc.Adapter().Config().RequestIDHeader) == "X-Request-Id" {
		h.t.Errorf("no %s header on the answer", "X-Request-Id")
	}
	for k, v := range hdr {
		if got.Get(k) != v {
			h.t.Errorf("header %s = %q, want %q", k, got.Get(k), v)
		}
	}
	var extra []string
	for k := range got {
		if _, ok := hdr[k]; !ok && k != http.CanonicalHeaderKey(h.svc.Adapter().Config().RequestIDHeader) {
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
	t.Run("connect", func(t *testing.T) { testConnect(t, newHandler) })
	t.Run("endpoint-routes", func(t *testing.T) { testEndpointRoutes(t, newHandler) })
	t.Run("request-id", func(t *testing.T) { testRequestID(t, newHandler) })
	t.Run("summary", func(t *testing.T) { testSummary(t, newHandler) })
	t.Run("summary-selection", func(t *testing.T) { testSummarySelection(t, newHandler) })
	t.Run("clients", func(t *testing.T) { testClients(t, newHandler) })
	t.Run("stopping", func(t *testing.T) { testStopping(t, newHandler) })
	t.Run("details-policy", func(t *testing.T) { testDetailsPolicy(t, newHandler) })
	t.Run("broken", func(t *testing.T) { testBroken(t, newHandler) })
}
