package dockerflow

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"

	"github.com/dockerflow-go/dockerflow/core/faulttest"
)

// events records the events a service logs.
type events struct {
	mu  sync.Mutex
	evs []Event
}

func (l *events) LogSummary(context.Context, *Summary) {}
func (l *events) LogEvent(_ context.Context, e Event) {
	l.mu.Lock()
	l.evs = append(l.evs, e)
	l.mu.Unlock()
}

func (l *events) msgs(typ string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.evs {
		if e.Type == typ {
			out = append(out, e.Msg)
		}
	}
	return out
}

// testHandler is the smallest adapter: the endpoints, and every other
// request tracked, sleeping ?sleep= first.
func testHandler(s *Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, t := s.Adapter().Track(r, w.Header())
		if ep := s.match(r.URL.Path); ep != Endpoint("") {
			resp, _ := respondTo(s, r.Context(), ep, r.Method)
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(resp.status)
			_, _ = w.Write(resp.body)
			t.Done(resp.status)
			return
		}
		if d, err := time.ParseDuration(r.URL.Query().Get("sleep")); err == nil {
			time.Sleep(d)
		}
		_, _ = io.WriteString(w, "ok")
		t.Done(200)
	})
}

func get(t *testing.T, c *http.Client, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Close { // the client takes Connection: close out of the header
		resp.Header.Set("Connection", "close")
	}
	return resp.StatusCode, resp.Header, string(b)
}

// Draining: /__lbheartbeat__ 503 with an empty body, the heartbeat fails
// with an entry that says so, every other answer carries Connection:
// close and is served as before.
func TestDrain(t *testing.T) {
	s := testService(t, Config{HeartbeatShowDetails: true, HeartbeatFailedStatusCode: 503})
	h := testHandler(s)
	do := func(path string) (int, http.Header, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Header(), rec.Body.String()
	}
	if code, hdr, _ := do("/__lbheartbeat__"); code != 200 || hdr.Get("Connection") != "" {
		t.Fatalf("before Drain: lbheartbeat %d, Connection %q", code, hdr.Get("Connection"))
	}
	s.Drain()
	s.Drain() // twice is once
	if code, hdr, body := do("/__lbheartbeat__"); code != 503 || body != "" || hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("draining: lbheartbeat %d %q, Cache-Control %q", code, body, hdr.Get("Cache-Control"))
	}
	code, _, body := do("/__heartbeat__")
	var hb struct {
		Status  string
		Details map[string]struct{ Messages map[string]string }
	}
	_ = json.Unmarshal([]byte(body), &hb)
	if code != 503 || hb.Status != "error" || !strings.Contains(hb.Details["dockerflow"].Messages[idDraining], "draining") {
		t.Errorf("draining: heartbeat %d %s", code, body)
	}
	if rep, err := s.Heartbeat(context.Background()); err != nil || !rep.Level.Failed() {
		t.Errorf("draining: Heartbeat() %v, %v; want a failed report", rep, err)
	}
	if code, hdr, body := do("/hello"); code != 200 || body != "ok" || hdr.Get("Connection") != "close" {
		t.Errorf("draining: a request got %d %q, Connection %q; want it served, with Connection: close", code, body, hdr.Get("Connection"))
	}
}

// With WaitForReady the heartbeat fails until Ready; /__lbheartbeat__ is
// 200 throughout.
func TestStartupGate(t *testing.T) {
	s := testService(t, Config{WaitForReady: true, HeartbeatShowDetails: true})
	h := testHandler(s)
	for i, ready := range []bool{false, true} {
		if ready {
			s.Ready()
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/__heartbeat__", nil))
		starting := strings.Contains(rec.Body.String(), idStarting)
		if (rec.Code == 200) != ready || starting == ready {
			t.Errorf("step %d (ready %v): heartbeat %d %s", i, ready, rec.Code, rec.Body.String())
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/__lbheartbeat__", nil))
		if rec.Code != 200 {
			t.Errorf("step %d: lbheartbeat %d", i, rec.Code)
		}
	}
	if err := s.Register(Check{Name: "dockerflow", Func: func(context.Context) []Message { return nil }}); err == nil {
		t.Error("a check named dockerflow was registered")
	}
}

// Run, ended by its context: the service drains for DrainDelay, serving
// on (a request on a kept-alive connection gets Connection: close, a new
// connection is accepted), a slow request in flight finishes, then Run
// returns nil, having logged each step.
func TestRunDrainsThenStops(t *testing.T) {
	log := &events{}
	const delay = 400 * time.Millisecond
	s := testService(t, Config{Logger: log, DrainDelay: delay})
	addr := faulttest.FreeAddr(t)
	srv := &http.Server{Addr: addr, Handler: testHandler(s)}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- s.Run(ctx, srv) }()
	base := "http://" + addr
	kept := &http.Client{}
	waitFor(t, "serving", func() bool {
		resp, err := kept.Get(base + "/__lbheartbeat__")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/slow?sleep=" + (delay + 300*time.Millisecond).String())
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	waitFor(t, "the slow request in flight", func() bool { n, _ := s.inflightCount(); return n > 0 })

	start := time.Now()
	cancel()
	waitFor(t, "draining", func() bool { return s.life.isDraining() })
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if code, _, _ := get(t, fresh, base+"/__lbheartbeat__"); code != 503 {
		t.Errorf("draining: lbheartbeat %d on a new connection, want 503", code)
	}
	if code, hdr, body := get(t, kept, base+"/hello"); code != 200 || body != "ok" || hdr.Get("Connection") != "close" {
		t.Errorf("draining: a kept-alive request got %d %q, Connection %q", code, body, hdr.Get("Connection"))
	}
	if err := <-ran; err != nil {
		t.Errorf("Run: %v", err)
	}
	if took := time.Since(start); took < delay {
		t.Errorf("Run returned %v after the context ended, before the %v delay", took, delay)
	}
	if code := <-slow; code != 200 {
		t.Errorf("the request in flight got %d, want 200", code)
	}
	msgs := strings.Join(log.msgs(mozlog.TypeLifecycle), "\n")
	for _, want := range []string{"the context ended: draining for 400ms", "stopped accepting", "stopped: 0 requests cut short"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("lifecycle events %q lack %q", msgs, want)
		}
	}
	if _, err := http.Get(base + "/__lbheartbeat__"); err == nil {
		t.Error("still accepting after Run returned")
	}
}

// A second SIGTERM while draining stops at once; a request cut short is
// logged (Close) and counted.
func TestRunSecondSignalStopsAtOnce(t *testing.T) {
	log := &events{}
	s := testService(t, Config{Logger: log, DrainDelay: time.Minute})
	addr := faulttest.FreeAddr(t)
	srv := &http.Server{Addr: addr, Handler: testHandler(s)}
	ran := make(chan error, 1)
	go func() { ran <- s.Run(context.Background(), srv) }()
	base := "http://" + addr
	waitFor(t, "serving", func() bool {
		resp, err := http.Get(base + "/__lbheartbeat__")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	go func() {
		if resp, err := http.Get(base + "/slow?sleep=1m"); err == nil {
			resp.Body.Close()
		}
	}()
	waitFor(t, "the slow request in flight", func() bool { n, _ := s.inflightCount(); return n > 0 })
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "draining", func() bool { return s.life.isDraining() })
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run still draining 30s after a second SIGTERM")
	}
	msgs := strings.Join(log.msgs(mozlog.TypeLifecycle), "\n")
	for _, want := range []string{"received SIGTERM: draining for 1m0s", "received SIGTERM while draining: stopping at once", "stopped: 1 request cut short"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("lifecycle events %q lack %q", msgs, want)
		}
	}
}

// A server that cannot serve (its port taken) ends Run with an error
// naming it, and the others are stopped.
func TestRunServerFails(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := testService(t, Config{})
	good := &http.Server{Addr: faulttest.FreeAddr(t), Handler: testHandler(s)}
	taken := &http.Server{Addr: l.Addr().String(), Handler: testHandler(s)}
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), good, taken) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "the HTTP server on "+taken.Addr) || !strings.Contains(err.Error(), "address already in use") {
			t.Errorf("Run: %v, want an error naming the server on %s", err, taken.Addr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
}

// The healthcheck command: 0 on a 200 answer, 1 with one line saying why
// otherwise, within its 2 s when nothing answers.
func TestHealthcheckCommand(t *testing.T) {
	s := testService(t, Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: testHandler(s)}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	env := func(port string) func(string) (string, bool) {
		return mapEnv(map[string]string{"PORT": port})
	}
	run := func(port string, args ...string) (int, string) {
		var out bytes.Buffer
		code := healthcheck(context.Background(), env(port), args, &out)
		return code, out.String()
	}
	if code, out := run(port); code != 0 || out != "" {
		t.Errorf("lbheartbeat: %d %q", code, out)
	}
	if code, out := run(port, "heartbeat"); code != 0 {
		t.Errorf("heartbeat: %d %q", code, out)
	}
	s.Drain()
	if code, out := run(port); code != 1 || !strings.Contains(out, "503") || strings.Count(out, "\n") != 1 {
		t.Errorf("draining: %d %q, want 1 and one line naming the 503", code, out)
	}
	closed := faulttest.FreeAddr(t)
	_, closedPort, _ := net.SplitHostPort(closed)
	start := time.Now()
	if code, out := run(closedPort); code != 1 || !strings.Contains(out, "connection refused") {
		t.Errorf("nothing listening: %d %q", code, out)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("nothing listening: took %v", took)
	}
	if code, out := run(port, "bogus"); code != 1 || !strings.Contains(out, "bogus") {
		t.Errorf("unknown endpoint: %d %q", code, out)
	}
	if code, out := run("not-a-port"); code != 1 || !strings.Contains(out, "PORT") {
		t.Errorf("bad PORT: %d %q", code, out)
	}
}

// The healthcheck follows no redirect (issue 33): a service answering
// 302 to another server that answers 200 is not healthy.
func TestHealthcheckFollowsNoRedirect(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	redirecting := httptest.NewServer(http.RedirectHandler(other.URL+"/__lbheartbeat__", http.StatusFound))
	defer redirecting.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(redirecting.URL, "http://"))
	var out bytes.Buffer
	code := healthcheck(context.Background(), mapEnv(map[string]string{"PORT": port}), nil, &out)
	if code != 1 || !strings.Contains(out.String(), "302") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("a 302 to a healthy server: exit %d, %q; want 1 and one line naming the 302", code, out.String())
	}
}

// DOCKERFLOW_DRAIN_DELAY=0 skips the delay; the timeouts are bounded;
// code beats the environment.
func TestDrainSettings(t *testing.T) {
	cfg, err := ConfigFromEnv(mapEnv(map[string]string{"DOCKERFLOW_DRAIN_DELAY": "0", "DOCKERFLOW_SHUTDOWN_TIMEOUT": "3s"}))
	if err != nil {
		t.Fatal(err)
	}
	s := testService(t, cfg)
	if s.cfg.DrainDelay != 0 || s.cfg.ShutdownTimeout != 3*time.Second {
		t.Errorf("delay %v, timeout %v", s.cfg.DrainDelay, s.cfg.ShutdownTimeout)
	}
	if s := testService(t, Config{}); s.cfg.DrainDelay != 5*time.Second || s.cfg.ShutdownTimeout != 20*time.Second {
		t.Errorf("defaults: delay %v, timeout %v", s.cfg.DrainDelay, s.cfg.ShutdownTimeout)
	}
	for _, env := range []map[string]string{{"DOCKERFLOW_DRAIN_DELAY": "-1s"}, {"DOCKERFLOW_DRAIN_DELAY": "6m"},
		{"DOCKERFLOW_SHUTDOWN_TIMEOUT": "0"}, {"DOCKERFLOW_SHUTDOWN_TIMEOUT": "11m"}, {"DOCKERFLOW_DRAIN_DELAY": "soon"}} {
		if _, err := ConfigFromEnv(mapEnv(env)); err == nil {
			t.Errorf("%v accepted", env)
		}
	}
	log := &events{}
	testService(t, Config{Logger: log, DrainDelay: 15 * time.Second, ShutdownTimeout: 20 * time.Second})
	if w := strings.Join(log.msgs(mozlog.TypeConfig), " "); !strings.Contains(w, "terminationGracePeriodSeconds") {
		t.Errorf("no warning for 35s of shutdown: %q", w)
	}
}
