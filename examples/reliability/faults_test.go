package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	sqlcheck "github.com/dockerflow-go/dockerflow/checks/sql"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/faulttest"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
)

const (
	checkTimeout = 300 * time.Millisecond
	cacheTTL     = 200 * time.Millisecond
	// bound is how soon a heartbeat must reflect a backend's change: one
	// check timeout, its grace, one cache period, and slack for a shared
	// 2-core machine.
	bound = checkTimeout + 250*time.Millisecond + cacheTTL + 1500*time.Millisecond
)

// server serves svc's endpoints over real HTTP, with mozlog logs in a
// buffer.
func server(t *testing.T, cfg dockerflow.Config, checks ...dockerflow.Check) (*httptest.Server, *dockerflowtest.Buffer) {
	t.Helper()
	logs := &dockerflowtest.Buffer{}
	cfg.Logger = &dockerflow.MozlogLogger{Out: logs}
	svc, err := dockerflow.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Register(checks...); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dockerflowhttp.Wrap(svc, nil))
	t.Cleanup(func() { srv.Close(); _ = svc.Close() })
	return srv, logs
}

// outage polls a service's heartbeat and lbheartbeat under load, breaks
// the backend, checks the heartbeat fails within bound while the
// lbheartbeat keeps answering, repairs it, and checks the heartbeat
// recovers within bound.
func outage(t *testing.T, base string, breakIt, repair func()) {
	hb := poll(base+"/__heartbeat__", 8)
	lb := poll(base+"/__lbheartbeat__", 2)
	if !waitFor(5*time.Second, func() bool { return !hb.firstAfter(time.Time{}, 200).IsZero() }) {
		t.Fatal("the heartbeat never answered 200 before the outage")
	}
	broken := time.Now()
	breakIt()
	if !waitFor(bound+2*time.Second, func() bool { return !hb.firstAfter(broken, 500).IsZero() }) {
		t.Fatalf("no 500 within %v of the backend stopping", bound+2*time.Second)
	}
	if d := hb.firstAfter(broken, 500).Sub(broken); d > bound {
		t.Errorf("the heartbeat failed %v after the backend stopped, want within %v", d, bound)
	}
	// The lbheartbeat keeps answering through the outage (each answer's
	// time is bounded below).
	if !waitFor(bound, func() bool { return len(lb.answersSince(broken)) >= 3 }) {
		t.Errorf("the lbheartbeat answered %d times in the outage", len(lb.answersSince(broken)))
	}

	repaired := time.Now()
	repair()
	if !waitFor(bound+5*time.Second, func() bool { return !hb.firstAfter(repaired, 200).IsZero() }) {
		t.Fatalf("no 200 within %v of the backend returning", bound+5*time.Second)
	}
	if d := hb.firstAfter(repaired, 200).Sub(repaired); d > bound+time.Second {
		t.Errorf("the heartbeat recovered %v after the backend returned, want within %v", d, bound+time.Second)
	}
	hbAnswers, lbAnswers := hb.Stop(), lb.Stop()

	for _, a := range hbAnswers {
		if (a.status != 200 && a.status != 500) || !validHeartbeat(a.body) {
			t.Errorf("heartbeat answered %d %q", a.status, a.body)
		}
		if a.took > bound+time.Second {
			t.Errorf("a heartbeat took %v", a.took)
		}
	}
	for _, a := range lbAnswers {
		if a.status != 200 || a.body != "" || a.took > time.Second {
			t.Errorf("lbheartbeat answered %d %q in %v", a.status, a.body, a.took)
		}
	}
	if hb.errors.Load()+lb.errors.Load() > 0 {
		t.Errorf("%d requests got no answer", hb.errors.Load()+lb.errors.Load())
	}
	t.Logf("%d heartbeats and %d lbheartbeats answered", len(hbAnswers), len(lbAnswers))
}

func (p *poller) answersSince(t time.Time) []answer {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []answer
	for _, a := range p.answers {
		if a.at.After(t) {
			out = append(out, a)
		}
	}
	return out
}

func TestRedisStoppedUnderLoad(t *testing.T) {
	rs := newRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: rs.addr, ContextTimeoutEnabled: true})
	defer rdb.Close()
	srv, _ := server(t, dockerflow.Config{CheckTimeout: checkTimeout, HeartbeatCacheTTL: cacheTTL}, redischeck.New(rdb))
	outage(t, srv.URL, rs.Stop, rs.Start)
}

func TestPostgresStoppedUnderLoad(t *testing.T) {
	dsn := os.Getenv("TEST_DOCKERFLOW_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("TEST_DOCKERFLOW_POSTGRES_DSN is not set: no PostgreSQL to test against (.ci/run sets it)")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := faulttest.NewProxy(t, u.Host)
	u.Host = p.Addr()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, _ := server(t, dockerflow.Config{CheckTimeout: checkTimeout, HeartbeatCacheTTL: cacheTTL}, sqlcheck.Connected(db))
	outage(t, srv.URL, p.Cut, p.Restore)
}

// A backend that accepts and never answers: 1,000 heartbeats, each within
// its timeout, and no goroutine left afterwards.
func TestNeverAnswering(t *testing.T) {
	before := runtime.NumGoroutine()
	addr, closeAll := faulttest.SilentListener(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1})
	db, err := sql.Open("pgx", "postgres://app:pw@"+addr+"/x?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := dockerflow.New(dockerflow.Config{CheckTimeout: 20 * time.Millisecond, Logger: &dockerflow.MozlogLogger{Out: &dockerflowtest.Buffer{}}})
	if err != nil {
		t.Fatal(err)
	}
	_ = svc.Register(redischeck.New(rdb), sqlcheck.Connected(db))
	h := dockerflowhttp.Handler(svc, nil)

	var wg sync.WaitGroup
	var slow, bad sync.Map
	for w := 0; w < 50; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				start := time.Now()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", "/__heartbeat__", nil))
				if d := time.Since(start); d > 2*time.Second {
					slow.Store(d, true)
				}
				if rec.Code != 500 || rec.Body.String() != `{"status":"error"}` {
					bad.Store(fmt.Sprint(rec.Code, rec.Body), true)
				}
			}
		}()
	}
	wg.Wait()
	slow.Range(func(k, _ any) bool { t.Errorf("a heartbeat took %v with 20ms timeouts", k); return true })
	bad.Range(func(k, _ any) bool { t.Errorf("a heartbeat answered %v", k); return true })

	_ = svc.Close()
	rdb.Close()
	db.Close()
	closeAll()
	if !waitFor(10*time.Second, func() bool { return runtime.NumGoroutine() <= before+2 }) {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after 1,000 heartbeats, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
	}
}

// Checks that misbehave do not take the service down, and its answers stay
// bounded in time and size.
func TestMisbehavingChecks(t *testing.T) {
	messages := make([]dockerflow.Message, 5000)
	for i := range messages {
		messages[i] = dockerflow.Warning(fmt.Sprintf("x.W%d", i), strings.Repeat("long text ", 500))
	}
	srv, _ := server(t, dockerflow.Config{CheckTimeout: 100 * time.Millisecond, HeartbeatShowDetails: true},
		dockerflow.Check{Name: "panics", Func: func(context.Context) []dockerflow.Message { panic("check exploded") }},
		// Far past any bound below: a heartbeat that waited for it would show.
		dockerflow.Check{Name: "sleeps", Func: func(context.Context) []dockerflow.Message { time.Sleep(30 * time.Second); return nil }},
		dockerflow.Check{Name: "chatty", Func: func(context.Context) []dockerflow.Message { return messages }},
	)
	hb := poll(srv.URL+"/__heartbeat__", 8)
	lb := poll(srv.URL+"/__lbheartbeat__", 2)
	// A count of answers, not a rate: a slow machine takes longer, and
	// only the bound on each answer below says whether the service held.
	const enough = 24
	if !waitFor(2*time.Minute, func() bool { return len(hb.answersSince(time.Time{})) >= enough }) {
		t.Errorf("fewer than %d heartbeats answered in 2 minutes: the service is stuck", enough)
	}
	hbAnswers, lbAnswers := hb.Stop(), lb.Stop()
	for _, a := range hbAnswers {
		if a.status != 500 || !validHeartbeat(a.body) || len(a.body) > 200_000 || a.took > 5*time.Second {
			t.Errorf("heartbeat %d, %d bytes, took %v", a.status, len(a.body), a.took)
		}
		for _, want := range []string{`"panics":"critical"`, `"sleeps":"error"`, `"chatty":"warning"`} {
			if !strings.Contains(a.body, want) {
				t.Errorf("heartbeat lacks %s", want)
			}
		}
	}
	for _, a := range lbAnswers {
		if a.status != 200 {
			t.Errorf("lbheartbeat %d", a.status)
		}
	}
}
