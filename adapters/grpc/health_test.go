package dockerflowgrpc_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const (
	serving    = healthpb.HealthCheckResponse_SERVING
	notServing = healthpb.HealthCheckResponse_NOT_SERVING
	unknown    = healthpb.HealthCheckResponse_SERVICE_UNKNOWN
)

const detailsToken = "operators-only-0123456789"

// withToken is a call context carrying the details token.
func withToken(t *testing.T, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx(t), "authorization", "Bearer "+token)
}

func TestCheck(t *testing.T) {
	s := newServer(t, dockerflow.Config{HeartbeatDetailsToken: detailsToken}, nil)
	var redis, db switchCheck
	if err := s.svc.Register(redis.check("redis"), db.check("database")); err != nil {
		t.Fatal(err)
	}
	check := func(service string) (healthpb.HealthCheckResponse_ServingStatus, codes.Code) {
		resp, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{Service: service})
		return resp.GetStatus(), status.Code(err)
	}
	for _, tc := range []struct {
		redisDown bool
		service   string
		want      healthpb.HealthCheckResponse_ServingStatus
		code      codes.Code
	}{
		{false, "", serving, codes.OK},
		{false, "redis", serving, codes.OK},
		{true, "", notServing, codes.OK},
		{true, "redis", notServing, codes.OK},
		{true, "database", serving, codes.OK},
		{true, dockerflowgrpc.LBHeartbeatService, serving, codes.OK},
		{true, "nope", healthpb.HealthCheckResponse_UNKNOWN, codes.NotFound}, // no answer, an error
	} {
		redis.failing.Store(tc.redisDown)
		if st, code := check(tc.service); st != tc.want || code != tc.code {
			t.Errorf("redis down %v, Check(%q) = %v, %v; want %v, %v", tc.redisDown, tc.service, st, code, tc.want, tc.code)
		}
	}
	_, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{Service: "nope"})
	if want := `unknown service "nope": the services are "" and the names of the checks`; status.Convert(err).Message() != want {
		t.Errorf("NOT_FOUND message %q, want %q", status.Convert(err).Message(), want)
	}

	list, err := s.client.List(withToken(t, detailsToken), &healthpb.HealthListRequest{})
	got := map[string]healthpb.HealthCheckResponse_ServingStatus{}
	for name, st := range list.GetStatuses() {
		got[name] = st.GetStatus()
	}
	if err != nil || len(got) != 4 || got[""] != notServing || got[dockerflowgrpc.LBHeartbeatService] != serving || got["redis"] != notServing || got["database"] != serving {
		t.Errorf("List = %v, %v", got, err)
	}

	redis.failing.Store(false)
	s.health.Shutdown()
	for _, service := range []string{"", "redis"} {
		if st, code := check(service); st != notServing || code != codes.OK {
			t.Errorf("after Shutdown, Check(%q) = %v, %v; want NOT_SERVING", service, st, code)
		}
	}
	if st, _ := check(dockerflowgrpc.LBHeartbeatService); st != notServing {
		t.Errorf("after Shutdown, the load balancer's name says %v, want NOT_SERVING: the balancer is to go elsewhere", st)
	}
	list, _ = s.client.List(withToken(t, detailsToken), &healthpb.HealthListRequest{})
	if list.GetStatuses()["database"].GetStatus() != notServing {
		t.Errorf("after Shutdown, List = %v", list.GetStatuses())
	}
}

// The liveness name answers at once, runs no check, and its Watch stays
// SERVING.
func TestLBHeartbeatService(t *testing.T) {
	s := newServer(t, dockerflow.Config{}, nil)
	var runs atomic.Int64
	block := make(chan struct{})
	defer close(block)
	err := s.svc.Register(dockerflow.Check{Name: "stuck", Func: func(ctx context.Context) []dockerflow.Message {
		runs.Add(1)
		<-block
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{Service: dockerflowgrpc.LBHeartbeatService})
	if err != nil || resp.GetStatus() != serving {
		t.Errorf("Check(%q) = %v, %v", dockerflowgrpc.LBHeartbeatService, resp.GetStatus(), err)
	}
	wctx, cancel := context.WithCancel(ctx(t))
	w, err := s.client.Watch(wctx, &healthpb.HealthCheckRequest{Service: dockerflowgrpc.LBHeartbeatService})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := w.Recv(); err != nil || resp.GetStatus() != serving {
		t.Errorf("Watch(%q) = %v, %v", dockerflowgrpc.LBHeartbeatService, resp.GetStatus(), err)
	}
	cancel()
	if _, err := w.Recv(); status.Code(err) != codes.Canceled {
		t.Errorf("Watch after cancel: %v", err)
	}
	if n := runs.Load(); n != 0 {
		t.Errorf("the checks ran %d times for the liveness name", n)
	}
}

// Concurrent Checks share one run; a caller's deadline bounds its wait,
// not the run, which finishes and is logged.
func TestCheckSharesRuns(t *testing.T) {
	s := newServer(t, dockerflow.Config{CheckTimeout: 30 * time.Second}, nil)
	release := make(chan struct{})
	var calls sync.WaitGroup
	var runs int
	var mu sync.Mutex
	started := make(chan struct{}, 1)
	err := s.svc.Register(dockerflow.Check{Name: "slow", Func: func(ctx context.Context) []dockerflow.Message {
		mu.Lock()
		runs++
		mu.Unlock()
		started <- struct{}{}
		<-release
		return []dockerflow.Message{dockerflow.Error("slow.E001", "took its time")}
	}})
	if err != nil {
		t.Fatal(err)
	}

	// A caller with a short deadline gives up; the run goes on.
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = s.client.Check(short, &healthpb.HealthCheckRequest{})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("Check past its deadline: %v, want DEADLINE_EXCEEDED", err)
	}
	<-started
	// Callers arriving meanwhile join the same run.
	results := make(chan healthpb.HealthCheckResponse_ServingStatus, 10)
	for range 10 {
		calls.Add(1)
		go func() {
			defer calls.Done()
			resp, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{})
			if err != nil {
				t.Error(err)
			}
			results <- resp.GetStatus()
		}()
	}
	// Once all ten wait for the run, it ends: each gets its report.
	waitFor(t, func() bool { return waitingHeartbeats() == 10 })
	close(release)
	calls.Wait()
	close(results)
	for st := range results {
		if st != notServing {
			t.Errorf("joined Check = %v, want NOT_SERVING", st)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if runs != 1 {
		t.Errorf("%d runs for 11 Checks, want 1", runs)
	}
	if ev := s.log.Events("dockerflow.heartbeat"); len(ev) != 1 || ev[0].Msg != "took its time" {
		t.Errorf("the run's messages were logged %d times, want once: %+v", len(ev), ev)
	}
}

// waitingHeartbeats counts the goroutines waiting for a heartbeat run.
func waitingHeartbeats() int { return goroutinesIn("/core.(*runner).wait(") }

// goroutinesIn counts the goroutines whose stack holds the function fn.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), fn)
}

func TestWatch(t *testing.T) {
	s := newServer(t, dockerflow.Config{}, nil, dockerflowgrpc.WithPollInterval(10*time.Millisecond))
	var redis switchCheck
	if err := s.svc.Register(redis.check("redis")); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx(t))
	all, err := s.client.Watch(wctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	byName, err := s.client.Watch(wctx, &healthpb.HealthCheckRequest{Service: "redis"})
	if err != nil {
		t.Fatal(err)
	}
	missing, err := s.client.Watch(wctx, &healthpb.HealthCheckRequest{Service: "nope"})
	if err != nil {
		t.Fatal(err)
	}
	next := func(w healthpb.Health_WatchClient, want healthpb.HealthCheckResponse_ServingStatus) {
		t.Helper()
		resp, err := w.Recv()
		if err != nil || resp.GetStatus() != want {
			t.Fatalf("Watch sent %v, %v; want %v", resp.GetStatus(), err, want)
		}
	}
	next(all, serving) // at once
	next(byName, serving)
	next(missing, unknown) // and the call goes on
	if n := goroutinesIn(".(*HealthServer).pollLoop("); n != 1 {
		t.Errorf("%d pollers for three watchers, want one", n)
	}
	redis.failing.Store(true)
	next(all, notServing) // each change, once
	next(byName, notServing)
	redis.failing.Store(false)
	next(all, serving)
	next(byName, serving)
	s.health.Shutdown()
	next(all, notServing)
	next(byName, notServing)
	next(missing, notServing)

	// Then the streams end, so that a graceful stop does not wait on
	// them; the watchers gone, the poller stops: no goroutine is left.
	for _, w := range []healthpb.Health_WatchClient{all, byName, missing} {
		if _, err := w.Recv(); status.Code(err) != codes.Unavailable {
			t.Errorf("Watch after Shutdown: %v, want the stream ended UNAVAILABLE", err)
		}
	}
	stop()
	waitFor(t, func() bool { return goroutinesIn(".(*HealthServer).pollLoop(") == 0 })
}

// waitFor polls cond until it holds, failing after a generous hang guard.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The gRPC health server tells the Heartbeat observers exactly as
// /__heartbeat__ does: a test counts the passes and failures for the same
// sequence of backend states on both (it never told them).
func TestHooksAsOverHTTP(t *testing.T) {
	count := func(passed, failed *atomic.Int64) dockerflow.Config {
		return dockerflow.Config{Observers: []dockerflow.Observer{{Heartbeat: func(_ context.Context, r *dockerflow.Report) {
			if r.Level.Failed() {
				failed.Add(1)
			} else {
				passed.Add(1)
			}
		}}}}
	}
	states := []bool{false, true, true, false}

	var httpPassed, httpFailed atomic.Int64
	hsvc, _ := dockerflowtest.NewService(t, count(&httpPassed, &httpFailed))
	hcheck := &switchCheck{}
	_ = hsvc.Register(hcheck.check("redis"))
	for _, down := range states {
		hcheck.failing.Store(down)
		// What every HTTP adapter's /__heartbeat__ calls.
		rec := httptest.NewRecorder()
		if err := hsvc.Adapter().Respond(rec, httptest.NewRequest("GET", "/__heartbeat__", nil), dockerflow.PathHeartbeat); err != nil {
			t.Fatal(err)
		}
	}

	var grpcPassed, grpcFailed atomic.Int64
	s := newServer(t, count(&grpcPassed, &grpcFailed), nil)
	gcheck := &switchCheck{}
	_ = s.svc.Register(gcheck.check("redis"))
	for _, down := range states {
		gcheck.failing.Store(down)
		if _, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if grpcPassed.Load() != httpPassed.Load() || grpcFailed.Load() != httpFailed.Load() || httpPassed.Load() != 2 || httpFailed.Load() != 2 {
		t.Errorf("hooks: HTTP passed %d failed %d, gRPC passed %d failed %d; want 2 and 2 on both",
			httpPassed.Load(), httpFailed.Load(), grpcPassed.Load(), grpcFailed.Load())
	}
}

// A NonCritical check down leaves the service SERVING, as /__heartbeat__
// stays 200.
func TestNonCriticalServing(t *testing.T) {
	s := newServer(t, dockerflow.Config{}, nil)
	cache := &switchCheck{}
	cache.failing.Store(true)
	c := cache.check("cache")
	c.NonCritical = true
	_ = s.svc.Register(c)
	for _, name := range []string{"", "cache"} {
		resp, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{Service: name})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("Check(%q) with a non-critical check down: %v, %v; want SERVING", name, resp.GetStatus(), err)
		}
	}
}

// List names the checks only to callers the details policy lets see
// them: no token and a wrong one get "" and the liveness name alone,
// with the same statuses; the hook decides from the call's metadata.
func TestListDetailsPolicy(t *testing.T) {
	for _, cfg := range []dockerflow.Config{
		{HeartbeatDetailsToken: detailsToken},
		{HeartbeatDetailsAllowed: func(r *http.Request) bool { return r.Header.Get("X-Ops") == "yes" && r.RemoteAddr != "" }},
	} {
		s := newServer(t, cfg, nil)
		var redis switchCheck
		if err := s.svc.Register(redis.check("redis")); err != nil {
			t.Fatal(err)
		}
		redis.failing.Store(true)
		list := func(c context.Context) map[string]healthpb.HealthCheckResponse_ServingStatus {
			l, err := s.client.List(c, &healthpb.HealthListRequest{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]healthpb.HealthCheckResponse_ServingStatus{}
			for name, st := range l.GetStatuses() {
				got[name] = st.GetStatus()
			}
			return got
		}
		for name, c := range map[string]context.Context{"no token": ctx(t), "a wrong token": withToken(t, "operators-only-0123456780"),
			"the token's prefix": withToken(t, detailsToken[:16])} {
			if got := list(c); len(got) != 2 || got[""] != notServing || got[dockerflowgrpc.LBHeartbeatService] != serving {
				t.Errorf("%s: List = %v, want \"\" and the liveness name only", name, got)
			}
		}
		allowed := withToken(t, detailsToken)
		if cfg.HeartbeatDetailsAllowed != nil {
			allowed = metadata.AppendToOutgoingContext(ctx(t), "x-ops", "yes")
		}
		if got := list(allowed); len(got) != 3 || got["redis"] != notServing {
			t.Errorf("allowed: List = %v, want the checks too", got)
		}
	}
}

// A broken service's liveness name and heartbeat answer NOT_SERVING
// (Watch too, within a poll), and SERVING again once cleared; no check
// runs for the liveness name.
func TestBrokenOverGRPC(t *testing.T) {
	s := newServer(t, dockerflow.Config{}, nil, dockerflowgrpc.WithPollInterval(20*time.Millisecond))
	check := func(service string) healthpb.HealthCheckResponse_ServingStatus {
		resp, err := s.client.Check(ctx(t), &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetStatus()
	}
	watch, err := s.client.Watch(ctx(t), &healthpb.HealthCheckRequest{Service: dockerflowgrpc.LBHeartbeatService})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := watch.Recv(); err != nil || r.GetStatus() != serving {
		t.Fatalf("Watch first = %v, %v", r, err)
	}
	s.svc.Broken("pool exhausted")
	if st := check(dockerflowgrpc.LBHeartbeatService); st != notServing {
		t.Errorf("broken: liveness %v, want NOT_SERVING", st)
	}
	if st := check(""); st != notServing {
		t.Errorf("broken: heartbeat %v, want NOT_SERVING", st)
	}
	if r, err := watch.Recv(); err != nil || r.GetStatus() != notServing {
		t.Errorf("Watch after Broken = %v, %v", r, err)
	}
	s.svc.Broken("")
	if st := check(dockerflowgrpc.LBHeartbeatService); st != serving {
		t.Errorf("cleared: liveness %v, want SERVING", st)
	}
	if st := check(""); st != serving {
		t.Errorf("cleared: heartbeat %v, want SERVING", st)
	}
	if r, err := watch.Recv(); err != nil || r.GetStatus() != serving {
		t.Errorf("Watch after clearing = %v, %v", r, err)
	}
}
