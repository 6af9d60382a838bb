package dockerflow

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// lbStatus is /__lbheartbeat__'s status.
func lbStatus(t *testing.T, s *Service) int {
	t.Helper()
	resp, err := respondTo(s, context.Background(), PathLBHeartbeat, "GET")
	if err != nil {
		t.Fatal(err)
	}
	return resp.status
}

// A check with BreakAfter marks the service broken once it has failed on
// every run for that long (an injected clock, no sleeps), not before, not
// when it passed in between; its first passing run clears the mark, but
// never the application's own.
func TestBreakAfter(t *testing.T) {
	log := &events{}
	s := testService(t, Config{Logger: log})
	now := time.Unix(1795514400, 0)
	s.now = func() time.Time { return now }
	f := &failing{}
	c := f.check("db")
	c.BreakAfter = time.Minute
	c.NonCritical = true // judged on its own level all the same
	if err := s.Register(c); err != nil {
		t.Fatal(err)
	}
	run := func(down bool, after time.Duration) {
		now = now.Add(after)
		f.down.Store(down)
		_, _ = s.Heartbeat(context.Background())
	}
	run(true, 0)
	run(true, 50*time.Second)
	run(false, time.Second) // a pass: the clock starts again
	run(true, time.Second)
	run(true, 59*time.Second)
	if st := lbStatus(t, s); st != http.StatusOK {
		t.Fatalf("after 59s failing: lbheartbeat %d, want 200", st)
	}
	run(true, time.Second)
	if st := lbStatus(t, s); st != http.StatusInternalServerError {
		t.Fatalf("after 60s failing: lbheartbeat %d, want 500", st)
	}
	rep, _ := s.Heartbeat(context.Background())
	if !rep.Level.Failed() || len(rep.Checks) != 2 || rep.Checks[1].Name != lifecycleCheck ||
		!strings.Contains(rep.Checks[1].Messages[0].Text, "check db has failed on every run for 1m0s (BreakAfter 1m0s)") {
		t.Errorf("broken report: %+v", rep.Checks)
	}
	run(false, time.Second)
	if st := lbStatus(t, s); st != http.StatusOK {
		t.Errorf("after the check passed: lbheartbeat %d, want 200", st)
	}
	if rep, _ := s.Heartbeat(context.Background()); rep.Level.Failed() {
		t.Errorf("after the check passed: heartbeat %+v", rep.Checks)
	}

	// The application's own mark stays when the check recovers, whether
	// it came after the check's or before.
	run(true, 0)
	run(true, time.Minute)
	s.Broken("worker deadlocked")
	run(false, time.Second)
	if st := lbStatus(t, s); st != http.StatusInternalServerError {
		t.Errorf("the application's mark was cleared by the check: lbheartbeat %d", st)
	}
	run(true, 0)
	run(true, time.Minute) // the check's deadline passes while the application's mark is set
	run(false, time.Second)
	if rep, _ := s.Heartbeat(context.Background()); stateText(rep) != "the service is broken: worker deadlocked" {
		t.Errorf("the application's mark: %q", stateText(rep))
	}
	s.Broken("")
	if st := lbStatus(t, s); st != http.StatusOK {
		t.Errorf("cleared: lbheartbeat %d", st)
	}
}

// stateText is the text of rep's state entry, "" for none.
func stateText(rep *Report) string {
	for _, c := range rep.Checks {
		if c.Name == lifecycleCheck {
			return c.Messages[0].Text
		}
	}
	return ""
}

// Draining answers 503 even while broken; BreakAfter below 1s is refused.
func TestBrokenWhileDraining(t *testing.T) {
	s := testService(t, Config{})
	s.Broken("x")
	s.Drain()
	if st := lbStatus(t, s); st != http.StatusServiceUnavailable {
		t.Errorf("broken and draining: %d, want 503", st)
	}
	s.Broken("")
	if st := lbStatus(t, s); st != http.StatusServiceUnavailable {
		t.Errorf("draining: %d, want 503", st)
	}
	err := s.Register(Check{Name: "x", Func: func(context.Context) []Message { return nil }, BreakAfter: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "BreakAfter 1ms is below 1s") {
		t.Errorf("err %v", err)
	}
}

// A details token that is short or holds a space is refused, from code
// and from the environment, and the error never quotes it.
func TestDetailsTokenRefused(t *testing.T) {
	for _, tok := range []string{"short-secret", "has a space in it 0123"} {
		_, err := New(Config{HeartbeatDetailsToken: tok, Logger: discard{}})
		if err == nil || strings.Contains(err.Error(), tok) || !strings.Contains(err.Error(), "HeartbeatDetailsToken") {
			t.Errorf("New with %q: %v", tok, err)
		}
		_, err = ConfigFromEnv(func(k string) (string, bool) { return tok, k == envDetailsToken })
		if err == nil || strings.Contains(err.Error(), tok) || !strings.Contains(err.Error(), envDetailsToken) {
			t.Errorf("ConfigFromEnv with %q: %v", tok, err)
		}
	}
}
