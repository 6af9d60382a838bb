package dockerflow_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

// seen records what an observer is told.
type seen struct {
	mu         sync.Mutex
	checks     []dockerflow.CheckResult
	heartbeats []string
	requests   []dockerflow.Summary
	errors     []dockerflow.ErrorReport
}

func (s *seen) observer() dockerflow.Observer {
	return dockerflow.Observer{
		CheckRan: func(_ context.Context, c dockerflow.CheckResult) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.checks = append(s.checks, c)
		},
		Heartbeat: func(_ context.Context, r *dockerflow.Report) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.heartbeats = append(s.heartbeats, r.Level.String())
		},
		Request: func(_ context.Context, sum *dockerflow.Summary) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.requests = append(s.requests, *sum)
		},
		Error: func(_ context.Context, e *dockerflow.ErrorReport) {
			s.mu.Lock()
			defer s.mu.Unlock()
			c := *e
			c.Summary = new(dockerflow.Summary)
			*c.Summary = *e.Summary
			s.errors = append(s.errors, c)
		},
	}
}

// Each check's result reaches the observers once per run, with whether
// it timed out or panicked; each heartbeat, with its status.
func TestObserverSeesChecksAndHeartbeats(t *testing.T) {
	var o seen
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{Observers: []dockerflow.Observer{o.observer()}})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	err := svc.Register(
		dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message { return nil }},
		dockerflow.Check{Name: "cache", NonCritical: true, Func: func(context.Context) []dockerflow.Message {
			return []dockerflow.Message{dockerflow.Error("cache.E001", "down")}
		}},
		dockerflow.Check{Name: "hangs", Timeout: 20 * time.Millisecond, Func: func(context.Context) []dockerflow.Message {
			<-release
			return nil
		}},
		dockerflow.Check{Name: "panics", Func: func(context.Context) []dockerflow.Message { panic("no") }},
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Heartbeat(context.Background()); err != nil {
		t.Fatal(err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	got := map[string]dockerflow.CheckResult{}
	for _, c := range o.checks {
		got[c.Name] = c
	}
	for name, want := range map[string]struct {
		level, raw        dockerflow.Level
		timedOut, panicky bool
	}{
		"db":     {dockerflow.LevelOK, dockerflow.LevelOK, false, false},
		"cache":  {dockerflow.LevelWarning, dockerflow.LevelError, false, false},
		"hangs":  {dockerflow.LevelError, dockerflow.LevelError, true, false},
		"panics": {dockerflow.LevelCritical, dockerflow.LevelCritical, false, true},
	} {
		c := got[name]
		if c.Level != want.level || c.RawLevel != want.raw || c.TimedOut != want.timedOut || c.Panicked != want.panicky || c.Duration <= 0 {
			t.Errorf("%s: %+v, want level %v raw %v timed out %v panicked %v and a duration", name, c, want.level, want.raw, want.timedOut, want.panicky)
		}
	}
	if len(o.checks) != 4 {
		t.Errorf("%d check runs observed for one run of 4 checks", len(o.checks))
	}
	if len(o.heartbeats) != 1 || o.heartbeats[0] != "critical" {
		t.Errorf("heartbeats observed: %v, want [critical]", o.heartbeats)
	}
}

// panicky is a handler whose frame the error report's stack must start
// at.
func panicky(w http.ResponseWriter, r *http.Request) {
	panic(errors.New("boom with password=hunter2"))
}

// serve runs h behind a minimal tracking middleware, recovering as an
// adapter does.
func serve(svc *dockerflow.Service, route string, h http.HandlerFunc, req *http.Request) {
	w := httptest.NewRecorder()
	r, tr := svc.Adapter().Track(req, w.Header())
	tr.SetRoute(route)
	func() {
		defer func() {
			if v := recover(); v != nil {
				tr.Panicked(0, v)
			}
		}()
		h(w, r)
		tr.Done(200)
	}()
}

// A panic reaches the error observers once, with its type, its stack
// from the panicking frame, the request's IDs and route, the release from
// version.json, and its text redacted; every summary reaches the request
// observers, logged or not, and what is logged is the same with or
// without them.
func TestObserverSeesRequestsAndErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "version.json"), []byte(`{"source":"s","version":"v1.2.3","commit":"abc","build":""}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var o seen
	cfg := dockerflow.Config{VersionFile: filepath.Join(dir, "version.json"), SummaryExcludePaths: []string{"/quiet"}}
	plain, plainLog := dockerflowtest.NewService(t, cfg)
	cfg.Observers = []dockerflow.Observer{o.observer()}
	svc, log := dockerflowtest.NewService(t, cfg)
	for _, s := range []*dockerflow.Service{plain, svc} {
		serve(s, "/items/{id}", func(http.ResponseWriter, *http.Request) {}, req("/items/1", "X-Request-Id", "ok-1"))
		serve(s, "/quiet", func(http.ResponseWriter, *http.Request) {}, req("/quiet"))
		serve(s, "/items/{id}", panicky, req("/items/2", "X-Request-Id", "p-1",
			"Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
	}

	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.requests) != 3 || o.requests[1].Path != "/quiet" || o.requests[2].Code != 500 {
		t.Errorf("requests observed: %+v, want all 3, the excluded one too", o.requests)
	}
	if len(o.errors) != 1 {
		t.Fatalf("error reports: %+v, want one", o.errors)
	}
	e := o.errors[0]
	if !e.Panic || e.Type != "*errors.errorString" || e.Release != "v1.2.3" || e.Text != "boom with password=xxxxx" ||
		e.Summary.RID != "p-1" || e.Summary.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || e.Summary.Route != "/items/{id}" ||
		e.Summary.Method != "GET" || e.Summary.Code != 500 || strings.Contains(e.Summary.Traceback, "hunter2") {
		t.Errorf("error report %+v (summary %+v)", e, e.Summary)
	}
	if len(e.Stack) == 0 {
		t.Fatal("no stack")
	}
	if f, _ := runtime.CallersFrames(e.Stack).Next(); !strings.HasSuffix(f.Function, "core_test.panicky") {
		t.Errorf("the stack starts at %s, want the panicking handler", f.Function)
	}

	// The logs agree, but for times and durations.
	a, b := plainLog.Summaries(), log.Summaries()
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("logged %d and %d summaries, want 2 each", len(a), len(b))
	}
	for i := range a {
		a[i].End, a[i].Duration, b[i].End, b[i].Duration = time.Time{}, 0, time.Time{}, 0
		a[i].Traceback, b[i].Traceback = "", "" // goroutine numbers differ
		if a[i] != b[i] {
			t.Errorf("with an observer the summary logged is\n  %+v\nwithout\n  %+v", b[i], a[i])
		}
	}
}

// An RPC's panic and its server-side failures are reported; a client's
// error is not.
func TestObserverSeesCallErrors(t *testing.T) {
	var o seen
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{Observers: []dockerflow.Observer{o.observer()}})
	_, c := svc.Adapter().TrackCall(context.Background(), method, http.Header{"X-Request-Id": {"rpc-1"}})
	c.Failed(13, "db said token=abc")
	_, c = svc.Adapter().TrackCall(context.Background(), method, nil)
	c.Done(5)
	_, c = svc.Adapter().TrackCall(context.Background(), method, nil)
	func() {
		defer func() {
			if v := recover(); v != nil {
				c.Panicked(13, v)
			}
		}()
		var m map[string]int
		m["x"] = 1 // a runtime error
	}()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.errors) != 2 {
		t.Fatalf("error reports %+v, want 2", o.errors)
	}
	if e := o.errors[0]; e.Panic || e.Text != "db said token=xxxxx" || e.Summary.Status != "INTERNAL" || e.Summary.RID != "rpc-1" {
		t.Errorf("failure report %+v", e)
	}
	if e := o.errors[1]; !e.Panic || !strings.HasPrefix(e.Type, "runtime.") || len(e.Stack) == 0 {
		t.Errorf("panic report %+v", e)
	}
}

func req(path string, header ...string) *http.Request {
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

// An observer that panics is logged, and harms neither the request, nor
// its summary, nor the other observers.
func TestPanickingObserver(t *testing.T) {
	var o seen
	boom := dockerflow.Observer{
		CheckRan:  func(context.Context, dockerflow.CheckResult) { panic("observer bug password=hunter2") },
		Heartbeat: func(context.Context, *dockerflow.Report) { panic("observer bug") },
		Request:   func(context.Context, *dockerflow.Summary) { panic("observer bug") },
		Error:     func(context.Context, *dockerflow.ErrorReport) { panic("observer bug") },
	}
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{Observers: []dockerflow.Observer{boom, o.observer()}})
	if err := svc.Register(dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message { return nil }}); err != nil {
		t.Fatal(err)
	}
	if rep, err := svc.Heartbeat(context.Background()); err != nil || rep.Level.String() != "ok" {
		t.Fatalf("heartbeat: %v, %v", rep, err)
	}
	serve(svc, "/p", panicky, req("/p"))
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.checks) != 1 || len(o.heartbeats) != 1 || len(o.requests) != 1 || len(o.errors) != 1 {
		t.Errorf("the second observer saw %d checks, %d heartbeats, %d requests, %d errors; want one each",
			len(o.checks), len(o.heartbeats), len(o.requests), len(o.errors))
	}
	if s := log.Summaries(); len(s) != 1 || s[0].Code != 500 {
		t.Errorf("summaries %+v", s)
	}
	ev := log.Events("dockerflow.observer")
	if len(ev) != 4 || ev[0].Level != dockerflow.LevelError || ev[0].Msg != "an observer panicked: observer bug password=xxxxx" {
		t.Errorf("events %+v, want 4, the first naming the panic, redacted", ev)
	}
}
