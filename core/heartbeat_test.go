package dockerflow

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func testService(t testing.TB, cfg Config) *Service {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = discard{}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// mapEnv is a lookup function over m.
func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

type discard struct{}

func (discard) LogSummary(context.Context, *Summary) {}
func (discard) LogEvent(context.Context, Event)      {}

// waitFor polls cond until it holds; its 10 s are a hang guard.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Every concurrent heartbeat that arrives while a run is under way joins
// it: one run, whatever the number of callers.
func TestConcurrentHeartbeatsShareOneRun(t *testing.T) {
	s := testService(t, Config{})
	var runs atomic.Int64
	release := make(chan struct{})
	_ = s.Register(Check{Name: "c", Func: func(context.Context) []Message {
		runs.Add(1)
		<-release
		return nil
	}})
	const n = 200
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rep, err := s.Heartbeat(context.Background()); err != nil || rep.Level.Failed() {
				t.Errorf("heartbeat: %v %v", rep, err)
			}
		}()
	}
	waitFor(t, "all callers to join", func() bool {
		s.hb.mu.Lock()
		defer s.hb.mu.Unlock()
		return s.hb.inflight != nil && s.hb.inflight.joined == n
	})
	close(release)
	wg.Wait()
	if got := runs.Load(); got != 1 {
		t.Errorf("%d concurrent heartbeats ran the check %d times, want 1", n, got)
	}
}

// Heartbeats that give up (a probe's 1s timeout) do not cancel the run:
// it finishes on its checks' timeouts, its failure is logged once, naming
// the check, and the check ran once for all of them.
func TestAbandonedRunFinishesAndIsLogged(t *testing.T) {
	log := &recorder{}
	s := testService(t, Config{CheckTimeout: 50 * time.Millisecond, Logger: log})
	var calls atomic.Int64
	_ = s.Register(Check{Name: "hangs", Func: func(ctx context.Context) []Message {
		calls.Add(1)
		<-ctx.Done()
		return nil
	}})
	const probes = 8
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, probes)
	for i := 0; i < probes; i++ {
		go func() { _, err := s.Heartbeat(ctx); errs <- err }()
	}
	waitFor(t, "every probe to join", func() bool {
		s.hb.mu.Lock()
		defer s.hb.mu.Unlock()
		return s.hb.inflight != nil && s.hb.inflight.joined == probes
	})
	cancel() // every probe gives up before the check's timeout
	for i := 0; i < probes; i++ {
		if err := <-errs; err != context.Canceled {
			t.Fatalf("probe: %v, want context.Canceled", err)
		}
	}
	waitFor(t, "the run to finish", func() bool { _, ok := s.hb.latest(); return ok })
	rep, _ := s.hb.latest()
	if !rep.Level.Failed() || rep.Checks[0].Messages[0].ID != idCheckTimedOut {
		t.Errorf("report %+v, want the check timed out", rep.Checks)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d abandoned probes called the check %d times, want 1", probes, n)
	}
	events := log.events()
	if len(events) != 1 || events[0].Level != LevelError || !hasCheck(events[0], "hangs") {
		t.Errorf("logged %+v, want one error naming the check", events)
	}
}

func hasCheck(e Event, name string) bool {
	for _, a := range e.Attrs {
		if a.Key == "check" && a.Value.String() == name {
			return true
		}
	}
	return false
}

// A check that ignores its context is started once however many probes
// give up on it: the stuck-check guard holds on the abandoned path too.
func TestStuckGuardOnAbandonedProbes(t *testing.T) {
	before := runtime.NumGoroutine()
	s := testService(t, Config{CheckTimeout: 20 * time.Millisecond})
	var calls atomic.Int64
	release := make(chan struct{})
	_ = s.Register(Check{Name: "ignores-ctx", Func: func(context.Context) []Message {
		calls.Add(1)
		<-release
		return nil
	}})
	for i := 0; i < 30; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		_, _ = s.Heartbeat(ctx)
		cancel()
	}
	waitFor(t, "a run to report the stuck check", func() bool {
		rep, err := s.Heartbeat(context.Background())
		return err == nil && rep.Checks[0].Messages[0].ID == idCheckStillRunning
	})
	if n := calls.Load(); n != 1 {
		t.Errorf("30 abandoned heartbeats called a context-ignoring check %d times, want 1", n)
	}
	if n := runtime.NumGoroutine(); n > before+3 {
		t.Errorf("%d goroutines, %d before: the stuck call should cost one", n, before)
	}
	close(release)
	waitFor(t, "the check to be started again once it returned", func() bool {
		rep, err := s.Heartbeat(context.Background())
		return err == nil && !rep.Level.Failed()
	})
}

// A run that every heartbeat gave up on answers the next heartbeat within
// the reuse window; a report that was received is not reused.
func TestReuseWindow(t *testing.T) {
	s := testService(t, Config{})
	s.hb.reuse = time.Hour // however slow the machine, the next heartbeat is inside it
	var calls atomic.Int64
	release := make(chan struct{})
	_ = s.Register(Check{Name: "c", Func: func(context.Context) []Message {
		if calls.Add(1) == 1 {
			<-release
		}
		return nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Heartbeat(ctx); err == nil {
		t.Fatal("a heartbeat whose context ended got a report")
	}
	close(release)
	waitFor(t, "the abandoned run to finish", func() bool { _, ok := s.hb.latest(); return ok })
	abandoned, _ := s.hb.latest()
	got, err := s.Heartbeat(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != abandoned || calls.Load() != 1 {
		t.Errorf("the heartbeat after an abandoned run started another (%d calls)", calls.Load())
	}
	if again, _ := s.Heartbeat(context.Background()); again == got {
		t.Errorf("a report already received answered another heartbeat without a cache")
	}
}

// Timed-out, panicking and context-ignoring checks leave no goroutine
// behind once they return, and Close stops the background loop.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	s, err := New(Config{Logger: discard{}, CheckTimeout: 5 * time.Millisecond, HeartbeatInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Register(
		Check{Name: "hang", Func: func(ctx context.Context) []Message { <-ctx.Done(); return nil }},
		Check{Name: "panic", Func: func(context.Context) []Message { panic("x") }},
		Check{Name: "ok", Func: func(context.Context) []Message { return nil }},
	)
	for i := 0; i < 100; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%3)*time.Millisecond)
		_, _ = s.Heartbeat(ctx)
		cancel()
	}
	_ = s.Close()
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}

func TestBackgroundLoopRunsOnInterval(t *testing.T) {
	var runs atomic.Int64
	s := testService(t, Config{HeartbeatInterval: 100 * time.Millisecond})
	_ = s.Register(Check{Name: "c", Func: func(context.Context) []Message { runs.Add(1); return nil }})
	waitFor(t, "several background runs", func() bool { return runs.Load() >= 3 })
	if rep, ok := s.hb.latest(); !ok || len(rep.Checks) != 1 {
		t.Errorf("LastReport = %+v, %v", rep, ok)
	}
	_ = s.Close()
	n := runs.Load()
	time.Sleep(250 * time.Millisecond) // two intervals
	if runs.Load() > n+1 {
		t.Errorf("runs went on after Close: %d -> %d", n, runs.Load())
	}
}

// Before any run completes there is no report, rather than a made-up ok.
func TestNoReportBeforeFirstRun(t *testing.T) {
	release := make(chan struct{})
	s := testService(t, Config{})
	_ = s.Register(Check{Name: "c", Func: func(context.Context) []Message { <-release; return nil }})
	if _, ok := s.hb.latest(); ok {
		t.Error("LastReport before any run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if rep, err := s.Heartbeat(ctx); err != context.DeadlineExceeded || rep != nil {
		t.Errorf("Heartbeat = %v, %v; want no report and the context's error", rep, err)
	}
	close(release)
}

func TestRegisterValidates(t *testing.T) {
	s := testService(t, Config{})
	ok := func(context.Context) []Message { return nil }
	if err := s.Register(Check{Name: "a", Func: ok}); err != nil {
		t.Fatal(err)
	}
	err := s.Register(Check{Name: "a", Func: ok}, Check{Func: ok}, Check{Name: "b"}, Check{Name: "c", Func: ok, Timeout: -1}, Check{Name: "d", Func: ok})
	for _, want := range []string{`check "a": registered twice`, "check 1: empty name", `check "b": nil Func`, `check "c": timeout -1ns is below 1ms`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	s.hb.mu.Lock()
	n := len(s.hb.checks)
	s.hb.mu.Unlock()
	if n != 1 {
		t.Errorf("%d checks registered after a failed Register, want 1", n)
	}
}

// Concurrent Registers of the same name: exactly one wins.
func TestRegisterConcurrentSameName(t *testing.T) {
	s := testService(t, Config{})
	var wins atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.Register(Check{Name: "same", Func: func(context.Context) []Message { return nil }}) == nil {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d concurrent Registers of one name succeeded, want 1", wins.Load())
	}
}

func TestCheckError(t *testing.T) {
	fn := CheckError("app.E001", func(ctx context.Context) error {
		if RequestID(ctx) != "" {
			return context.Canceled
		}
		return nil
	})
	if got := fn(context.Background()); got != nil {
		t.Errorf("nil error gave %v", got)
	}
	got := fn(WithRequestID(context.Background(), "x"))
	if len(got) != 1 || got[0] != (Message{ID: "app.E001", Level: LevelError, Text: "context canceled"}) {
		t.Errorf("error gave %v", got)
	}
}

// Concurrent heartbeats on the same checks: run under -race.
func TestHeartbeatRace(t *testing.T) {
	s := testService(t, Config{HeartbeatCacheTTL: time.Millisecond, HeartbeatShowDetails: true})
	_ = s.Register(Check{Name: "w", Func: func(context.Context) []Message { return []Message{Warning("x.W", "w")} }})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if i == 0 && j%10 == 0 {
					_ = s.Register(Check{Name: "c" + string(rune('a'+j/10)), Func: func(context.Context) []Message { return nil }})
				}
				rep, err := s.Heartbeat(context.Background())
				if err != nil || rep.Level != LevelWarning || len(rep.body) == 0 {
					t.Errorf("heartbeat %v %v", rep, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Checks run concurrently: each of these waits for the other to start, so
// run one after the other both would time out.
func TestChecksRunConcurrently(t *testing.T) {
	s := testService(t, Config{CheckTimeout: 10 * time.Second})
	a, b := make(chan struct{}), make(chan struct{})
	meet := func(mine, theirs chan struct{}) func(context.Context) []Message {
		return func(ctx context.Context) []Message {
			close(mine)
			select {
			case <-theirs:
				return nil
			case <-ctx.Done():
				return []Message{Error("x.E1", "ran alone")}
			}
		}
	}
	_ = s.Register(Check{Name: "a", Func: meet(a, b)}, Check{Name: "b", Func: meet(b, a)})
	rep, err := s.Heartbeat(context.Background())
	if err != nil || rep.Level != LevelOK {
		t.Errorf("report %+v, %v: want both checks ok", rep, err)
	}
}

// A check that honours its context and says why it failed keeps its own
// message; one that returns "ok" past its deadline is still a timeout.
func TestOwnTimeoutMessage(t *testing.T) {
	s := testService(t, Config{CheckTimeout: 20 * time.Millisecond})
	_ = s.Register(
		Check{Name: "reports", Func: func(ctx context.Context) []Message {
			<-ctx.Done()
			return []Message{Error("x.E004", "cannot connect: i/o timeout")}
		}},
		Check{Name: "silent", Func: func(ctx context.Context) []Message {
			<-ctx.Done()
			return nil
		}},
	)
	rep, err := s.Heartbeat(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range rep.Checks {
		got[c.Name] = c.Messages[0].ID
	}
	if got["reports"] != "x.E004" || got["silent"] != idCheckTimedOut {
		t.Errorf("message IDs %v", got)
	}
}

// Secrets in check messages never reach the report.
func TestMessagesRedacted(t *testing.T) {
	s := testService(t, Config{})
	_ = s.Register(Check{Name: "db", Func: CheckError("x.E1", func(context.Context) error {
		return errors.New(`cannot parse "postgres://app:hunter2@db:5432/x?sslmode=disable password=hunter2"`)
	})})
	rep, _ := s.Heartbeat(context.Background())
	if txt := rep.Checks[0].Messages[0].Text; strings.Contains(txt, "hunter2") || !strings.Contains(txt, "postgres://app:xxxxx@db:5432") {
		t.Errorf("message %q", txt)
	}
}

// recorder is a Logger that keeps the events it is given.
type recorder struct {
	mu  sync.Mutex
	evs []Event
	sum []Summary
}

func (r *recorder) LogSummary(_ context.Context, s *Summary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sum = append(r.sum, *s)
}

func (r *recorder) LogEvent(_ context.Context, e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, e)
}

func (r *recorder) events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.evs...)
}

func (r *recorder) summaries() []Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Summary(nil), r.sum...)
}
