package dockerflow

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"

	"github.com/dockerflow-go/dockerflow/core/faulttest"
)

// heartbeatEvents are the dockerflow.heartbeat events logged.
func heartbeatEvents(l *events) []string { return l.msgs(mozlog.TypeHeartbeat) }

// A NonCritical check against a silent backend: the heartbeat stays 200
// with the check a warning in its details (its own status, error, beside
// it), and the real error is logged at its level.
func TestNonCriticalCheck(t *testing.T) {
	addr, stop := faulttest.SilentListener(t)
	defer stop()
	log := &events{}
	s := testService(t, Config{Logger: log, CheckTimeout: 50 * time.Millisecond, HeartbeatShowDetails: true})
	err := s.Register(Check{Name: "cache", NonCritical: true, Func: func(ctx context.Context) []Message {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return []Message{Error("cache.E001", err.Error())}
		}
		defer conn.Close()
		_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
		_, err = conn.Read(make([]byte, 1)) // never answers
		return []Message{Error("cache.E001", "no answer: "+err.Error())}
	}})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := respondTo(s, context.Background(), PathHeartbeat, "GET")
	var body struct {
		Status  string
		Details map[string]struct {
			Status    string
			RawStatus string `json:"raw_status"`
			Messages  map[string]string
		}
	}
	_ = json.Unmarshal(resp.body, &body)
	d := body.Details["cache"]
	if resp.status != 200 || body.Status != "warning" || d.Status != "warning" || d.RawStatus != "error" || d.Messages[idCheckTimedOut] == "" {
		t.Errorf("heartbeat %d %s, want 200 with the check a warning, its own status error", resp.status, resp.body)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.evs) != 1 || log.evs[0].Level != LevelError {
		t.Errorf("logged %+v, want the error at its own level", log.evs)
	}
}

// A check that answers just after its deadline, within the grace, keeps
// its own answer: a warning stays a warning (it became a timeout error).
func TestLateWarningKept(t *testing.T) {
	s := testService(t, Config{CheckTimeout: 20 * time.Millisecond})
	_ = s.Register(Check{Name: "maxmemory", Func: func(ctx context.Context) []Message {
		<-ctx.Done()
		return []Message{Warning("redis.W001", "Redis has no maxmemory")}
	}})
	rep, err := s.Heartbeat(context.Background())
	if err != nil || rep.Level.Failed() || rep.Checks[0].Messages[0].ID != "redis.W001" {
		t.Errorf("report %+v, %v: want the check's own warning", rep.Checks, err)
	}
}

// failing is a check that fails while down is set.
type failing struct{ down atomic.Bool }

func (f *failing) check(name string) Check {
	return Check{Name: name, Func: func(context.Context) []Message {
		if f.down.Load() {
			return []Message{Error(name+".E001", name+" is down")}
		}
		return nil
	}}
}

// One failed run is "1 failed run" (issue 33: "1 failed runs").
func TestRecoveryAfterOneFailedRun(t *testing.T) {
	log := &events{}
	s := testService(t, Config{Logger: log})
	now := time.Unix(1795514400, 0)
	s.now = func() time.Time { return now }
	f := &failing{}
	f.down.Store(true)
	_ = s.Register(f.check("redis"))
	_, _ = s.Heartbeat(context.Background())
	now = now.Add(2 * time.Second)
	f.down.Store(false)
	_, _ = s.Heartbeat(context.Background())
	if msgs := strings.Join(heartbeatEvents(log), "\n"); !strings.Contains(msgs, "redis recovered after 2s, 1 failed run") || strings.Contains(msgs, "1 failed runs") {
		t.Errorf("recovery logged as %q", msgs)
	}
}

// A check failing for 100 runs, two seconds apart (an injected clock, no
// sleeps), logs its failure once, at most one reminder a minute, and its
// recovery once with how long it lasted and how many runs failed; with
// HeartbeatLog "every", every run. An observer's CheckChanged hears of
// both changes.
func TestChangesLogged(t *testing.T) {
	for _, mode := range []string{"", "every"} {
		log := &events{}
		var changes []string
		var mu sync.Mutex
		s := testService(t, Config{Logger: log, HeartbeatLog: mode, Observers: []Observer{{CheckChanged: func(_ context.Context, from, to CheckResult) {
			mu.Lock()
			changes = append(changes, to.Name+": "+from.Level.String()+" -> "+to.Level.String())
			mu.Unlock()
		}}}})
		now := time.Unix(1795514400, 0)
		s.now = func() time.Time { return now }
		f := &failing{}
		f.down.Store(true)
		_ = s.Register(f.check("redis"))
		for i := 0; i < 100; i++ {
			if rep, _ := s.Heartbeat(context.Background()); !rep.Level.Failed() {
				t.Fatalf("run %d passed", i)
			}
			now = now.Add(2 * time.Second)
		}
		f.down.Store(false)
		if rep, _ := s.Heartbeat(context.Background()); rep.Level.Failed() {
			t.Fatal("the recovered check still fails")
		}
		msgs := heartbeatEvents(log)
		down, recovered := strings.Count(strings.Join(msgs, "\n"), "redis is down"), 0
		for _, m := range msgs {
			if strings.Contains(m, "recovered") {
				recovered++
				if m != "redis recovered after 3m20s, 100 failed runs" {
					t.Errorf("recovery logged as %q", m)
				}
			}
		}
		switch mode {
		case "":
			if down < 1 || down > 1+4 || recovered != 1 {
				t.Errorf("changes only: the failure logged %d times over 200s (want once and a reminder a minute), the recovery %d", down, recovered)
			}
		case "every":
			if down != 100 || recovered != 1 {
				t.Errorf("every run: the failure logged %d times, the recovery %d", down, recovered)
			}
		}
		if strings.Join(changes, "; ") != "redis: ok -> error; redis: error -> ok" {
			t.Errorf("CheckChanged heard %q", changes)
		}
	}
}

// Damping: with FailAfter 3, two failing runs leave the heartbeat passing
// (the check a warning, its own status error in the details), the third
// fails it; with RecoverAfter 2, one passing run does not recover it, the
// second does.
func TestFlapDamping(t *testing.T) {
	s := testService(t, Config{HeartbeatShowDetails: true})
	f := &failing{}
	c := f.check("db")
	c.FailAfter, c.RecoverAfter = 3, 2
	_ = s.Register(c)
	for i, step := range []struct {
		down bool
		fail bool
	}{
		{true, false}, {true, false}, {true, true}, {false, true}, {false, false}, {true, false},
	} {
		f.down.Store(step.down)
		rep, _ := s.Heartbeat(context.Background())
		if rep.Level.Failed() != step.fail {
			t.Errorf("run %d (backend down %v): heartbeat failed %v, want %v: %s", i+1, step.down, rep.Level.Failed(), step.fail, rep.body)
		}
		if raw := rep.Checks[0].RawLevel.Failed(); raw != step.down {
			t.Errorf("run %d: raw level %v", i+1, rep.Checks[0].RawLevel)
		}
		if step.down != step.fail && !strings.Contains(string(rep.body), `"raw_status"`) {
			t.Errorf("run %d: the details hide the raw result: %s", i+1, rep.body)
		}
	}
	if err := s.Register(Check{Name: "x", FailAfter: -1, Func: c.Func}); err == nil {
		t.Error("FailAfter -1 accepted")
	}
}

// Every path to a heartbeat tells the observers (python-dockerflow's
// heartbeat_passed and heartbeat_failed): /__heartbeat__ and
// Service.Heartbeat (the gRPC health server's path) alike.
func TestHooksOnEveryPath(t *testing.T) {
	var passed, failed atomic.Int64
	s := testService(t, Config{Observers: []Observer{{Heartbeat: func(_ context.Context, r *Report) {
		if r.Level.Failed() {
			failed.Add(1)
		} else {
			passed.Add(1)
		}
	}}}})
	f := &failing{}
	_ = s.Register(f.check("db"))
	for _, down := range []bool{false, true, false} {
		f.down.Store(down)
		_, _ = respondTo(s, context.Background(), PathHeartbeat, "GET")
		_, _ = s.Heartbeat(context.Background())
	}
	if passed.Load() != 4 || failed.Load() != 2 {
		t.Errorf("hooks: passed %d, failed %d; want 4 and 2", passed.Load(), failed.Load())
	}
}
