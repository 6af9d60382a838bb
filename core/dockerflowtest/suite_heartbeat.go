package dockerflowtest

// /__heartbeat__: levels and bodies, failing checks, and sharing runs.

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

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
		{name: "no-checks", status: 200, body: `{"status":"ok"}`},
		{name: "no-checks-details", cfg: show, status: 200, body: `{"status":"ok","checks":{},"details":{}}`},
		{name: "ok-hidden", checks: []dockerflow.Check{fixed("db"), fixed("redis")}, status: 200, body: `{"status":"ok"}`},
		{name: "ok-details", cfg: show, checks: []dockerflow.Check{fixed("redis"), fixed("db", dockerflow.Message{ID: "x.I0", Level: dockerflow.LevelOK, Text: "fine"})}, status: 200, body: `{"status":"ok","checks":{"db":"ok","redis":"ok"},"details":{}}`},
		{name: "ok-details-env", env: map[string]string{"DOCKERFLOW_HEARTBEAT_SHOW_DETAILS": "true"}, checks: []dockerflow.Check{fixed("db")}, status: 200, body: `{"status":"ok","checks":{"db":"ok"},"details":{}}`},
		{name: "info", cfg: show, checks: []dockerflow.Check{fixed("db", dockerflow.Message{ID: "x.I001", Level: dockerflow.LevelInfo, Text: "note"})}, status: 200, body: `{"status":"info","checks":{"db":"info"},"details":{"db":{"status":"info","level":20,"messages":{"x.I001":"note"}}}}`},
		{name: "warning-passes", cfg: show, checks: []dockerflow.Check{fixed("database"), fixed("redis", dockerflow.Warning("dockerflow.health.W001", "slow <1s> & \"late\""))}, status: 200, body: `{"status":"warning","checks":{"database":"ok","redis":"warning"},"details":{"redis":{"status":"warning","level":30,"messages":{"dockerflow.health.W001":"slow <1s> & \"late\""}}}}`},
		{name: "warning-hidden", checks: []dockerflow.Check{fixed("redis", dockerflow.Warning("x.W1", "slow"))}, status: 200, body: `{"status":"warning"}`},
		{name: "error-hidden", checks: []dockerflow.Check{fixed("db", dockerflow.Error("dockerflow.health.E001", "password=hunter2 leaked?"))}, status: 500, body: `{"status":"error"}`},
		{name: "error-details", cfg: show, checks: []dockerflow.Check{
			fixed("db", dockerflow.Error("dockerflow.health.E001", "cannot connect"), dockerflow.Warning("dockerflow.health.W001", "behind")),
			fixed("cache", dockerflow.Message{ID: "x.D1", Level: dockerflow.LevelDebug, Text: "d"})}, status: 500, body: `{"status":"error","checks":{"cache":"debug","db":"error"},"details":{"cache":{"status":"debug","level":10,"messages":{"x.D1":"d"}},"db":{"status":"error","level":40,"messages":{"dockerflow.health.E001":"cannot connect","dockerflow.health.W001":"behind"}}}}`},
		{name: "critical", cfg: show, checks: []dockerflow.Check{fixed("db", dockerflow.Critical("x.C1", "gone"))}, status: 500, body: `{"status":"critical","checks":{"db":"critical"},"details":{"db":{"status":"critical","level":50,"messages":{"x.C1":"gone"}}}}`},
		{name: "unknown-level", cfg: show, checks: []dockerflow.Check{fixed("db", dockerflow.Message{ID: "x.U1", Level: 35, Text: "odd"})}, status: 200, body: `{"status":"unknown","checks":{"db":"unknown"},"details":{"db":{"status":"unknown","level":35,"messages":{"x.U1":"odd"}}}}`},
		{name: "same-id-twice", cfg: show, checks: []dockerflow.Check{fixed("db", dockerflow.Warning("x.W1", "a"), dockerflow.Warning("x.W1", "b"))}, status: 200, body: `{"status":"warning","checks":{"db":"warning"},"details":{"db":{"status":"warning","level":30,"messages":{"x.W1":"a; b"}}}}`},
		{name: "failed-code-config", cfg: dockerflow.Config{HeartbeatFailedStatusCode: 503}, checks: []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"))}, status: 503, body: `{"status":"error"}`},
		{name: "failed-code-env", env: map[string]string{"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "503"}, checks: []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"))}, status: 503, body: `{"status":"error"}`},
		{name: "failed-code-code-wins", cfg: dockerflow.Config{HeartbeatFailedStatusCode: 502}, env: map[string]string{"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "503"}, checks: []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"))}, status: 502, body: `{"status":"error"}`},
		{name: "silenced", cfg: dockerflow.Config{HeartbeatShowDetails: true, SilencedChecks: []string{"x.E1"}}, checks: []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"), dockerflow.Warning("x.W1", "slow"))}, status: 200, body: `{"status":"warning","checks":{"db":"warning"},"details":{"db":{"status":"warning","level":30,"messages":{"x.W1":"slow"}}}}`},
		{name: "silenced-env", cfg: show, env: map[string]string{"DOCKERFLOW_SILENCED_CHECKS": "x.W1, x.E1"}, checks: []dockerflow.Check{fixed("db", dockerflow.Error("x.E1", "down"), dockerflow.Warning("x.W1", "slow"))}, status: 200, body: `{"status":"ok","checks":{"db":"ok"},"details":{}}`},
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
		for _, e := range h.log.Events(mozlog.TypeHeartbeat) {
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
		// python-dockerflow's heartbeat_passed and heartbeat_failed: an
		// observer's Heartbeat, and Report.Level.Failed().
		cfg := dockerflow.Config{Observers: []dockerflow.Observer{{Heartbeat: func(_ context.Context, r *dockerflow.Report) {
			if !r.Level.Failed() {
				passed.Add(1)
				return
			}
			if r.Level != dockerflow.LevelError {
				t.Errorf("failed hook got level %v", r.Level)
			}
			failed.Add(1)
		}}}}
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
		ev := h.log.Events(mozlog.TypeHeartbeat)
		if len(ev) != 1 || ev[0].Level != dockerflow.LevelCritical {
			t.Errorf("events = %+v, want one critical", ev)
		}
	})
	t.Run("non-critical", func(t *testing.T) {
		// An optional dependency down: the heartbeat stays 200, the check
		// a warning, its own error beside it and logged at its level.
		c := fixed("cache", dockerflow.Error("cache.E001", "cache is down"))
		c.NonCritical = true
		h := start(t, nh, dockerflow.Config{HeartbeatShowDetails: true}, nil, c, fixed("db"))
		const body = `{"status":"warning","checks":{"cache":"warning","db":"ok"},"details":{"cache":{"status":"warning","level":30,"messages":{"cache.E001":"cache is down"},"raw_status":"error"}}}`
		h.want(h.do("GET", "/__heartbeat__"), 200, body, jsonHeaders(body))
		ev := h.log.Events(mozlog.TypeHeartbeat)
		if len(ev) != 1 || ev[0].Level != dockerflow.LevelError {
			t.Errorf("events = %+v, want the error at its level", ev)
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
		var asked atomic.Int64
		inner := h.h
		h.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { asked.Add(1); inner.ServeHTTP(w, r) })
		codes := make([]int, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = h.do("GET", "/__heartbeat__").Code
			}()
		}
		<-started
		for asked.Load() < n { // every request is in: they join the run, which cannot end yet
			runtime.Gosched()
		}
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
