package test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/faulttest"
	redisv8 "github.com/go-redis/redis/v8"
	"github.com/redis/go-redis/v9"
)

const password = "hunter2-secret"

// run registers the check for client on a service and runs one heartbeat,
// returning the check's messages.
func run[S redischeck.Status](t *testing.T, client redischeck.Pinger[S], timeout time.Duration) []dockerflow.Message {
	t.Helper()
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{CheckTimeout: timeout})
	if err := svc.Register(redischeck.New(client)); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Heartbeat(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Checks[0].Messages
}

// want checks the messages are one with the given ID (none for ""), and
// that no message holds the password.
func want(t *testing.T, msgs []dockerflow.Message, id string) {
	t.Helper()
	for _, m := range msgs {
		if strings.Contains(m.Text, password) {
			t.Errorf("message leaks the password: %q", m.Text)
		}
	}
	if id == "" {
		if len(msgs) != 0 {
			t.Errorf("messages %v, want none", msgs)
		}
		return
	}
	if len(msgs) != 1 || msgs[0].ID != id || msgs[0].Level != dockerflow.LevelError {
		t.Errorf("messages %v, want one error %s", msgs, id)
	}
}

// newClient is a v9 client with the options the docs give (Recommended).
func newClient(t *testing.T, opt *redis.Options) *redis.Client {
	opt.ContextTimeoutEnabled = true
	opt.MaxRetries = -1
	opt.DialerRetries = 1
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestWithMiniredis(t *testing.T) {
	m := miniredis.RunT(t)
	t.Run("healthy", func(t *testing.T) {
		want(t, run(t, newClient(t, &redis.Options{Addr: m.Addr()}), time.Second), "")
	})
	t.Run("auth-required", func(t *testing.T) {
		m := miniredis.RunT(t)
		m.RequireAuth("right")
		want(t, run(t, newClient(t, &redis.Options{Addr: m.Addr()}), time.Second), redischeck.IDMisconfigured)
	})
	t.Run("wrong-password", func(t *testing.T) {
		m := miniredis.RunT(t)
		m.RequireAuth("right")
		msgs := run(t, newClient(t, &redis.Options{Addr: m.Addr(), Password: password}), time.Second)
		want(t, msgs, redischeck.IDMisconfigured)
	})
	t.Run("server-error", func(t *testing.T) {
		m := miniredis.RunT(t)
		m.SetError("LOADING Redis is loading the dataset in memory")
		want(t, run(t, newClient(t, &redis.Options{Addr: m.Addr()}), time.Second), redischeck.IDRedisError)
	})
	t.Run("stopped", func(t *testing.T) {
		m := miniredis.RunT(t)
		c := newClient(t, &redis.Options{Addr: m.Addr()})
		want(t, run(t, c, time.Second), "")
		m.Close()
		want(t, run(t, c, time.Second), redischeck.IDCannotConnect)
	})
	t.Run("nothing-listening", func(t *testing.T) {
		msgs := run(t, newClient(t, &redis.Options{Addr: faulttest.FreeAddr(t), Password: password}), time.Second)
		want(t, msgs, redischeck.IDCannotConnect)
	})
	t.Run("universal-and-ring", func(t *testing.T) {
		u := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{m.Addr()}})
		defer u.Close()
		want(t, run(t, u, time.Second), "")
		ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": m.Addr()}})
		defer ring.Close()
		want(t, run(t, ring, time.Second), "")
	})
}

// notPong answers PING with something else.
type notPong struct{}

func (notPong) Ping(ctx context.Context) *redis.StatusCmd { return redis.NewStatusResult("NOPE", nil) }

func TestPingNotPong(t *testing.T) {
	msgs := run(t, notPong{}, time.Second)
	want(t, msgs, redischeck.IDPingFailed)
	if len(msgs) == 1 && msgs[0].Text != `Redis ping failed: it answered "NOPE", not PONG` {
		t.Errorf("text %q", msgs[0].Text)
	}
}

// A Redis that accepts and never answers does not hold the heartbeat past
// the check's timeout, and leaves no goroutine behind.
func TestNeverAnswers(t *testing.T) {
	addr, _ := faulttest.SilentListener(t)
	c := newClient(t, &redis.Options{Addr: addr, Password: password, DialTimeout: time.Second})
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		start := time.Now()
		msgs := run(t, c, 100*time.Millisecond)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("heartbeat took %v with a 100ms timeout", d)
		}
		want(t, msgs, redischeck.IDCannotConnect)
	}
	_ = c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("%d goroutines, %d before", n, before)
	}
}

// realAddr is the real Redis of TEST_DOCKERFLOW_REDIS_ADDR.
func realAddr(t *testing.T) string {
	addr := os.Getenv("TEST_DOCKERFLOW_REDIS_ADDR")
	if addr == "" {
		t.Skip("TEST_DOCKERFLOW_REDIS_ADDR is not set: no real Redis to test against (.ci/run sets it)")
	}
	return addr
}

func TestRealRedis(t *testing.T) {
	addr := realAddr(t)
	t.Run("healthy", func(t *testing.T) {
		want(t, run(t, newClient(t, &redis.Options{Addr: addr}), time.Second), "")
	})
	t.Run("cluster-client-on-a-single-node", func(t *testing.T) {
		// A ClusterClient against a server without cluster mode: an
		// error from Redis, not a crash nor an "ok".
		cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{addr}, MaxRetries: -1})
		defer cc.Close()
		msgs := run(t, cc, 2*time.Second)
		if len(msgs) != 1 || msgs[0].Level != dockerflow.LevelError {
			t.Errorf("messages %v, want one error", msgs)
		}
	})
	// A password sent to a server without requirepass is accepted (its
	// default user has nopass): wrong credentials are tested on the
	// throwaway server, which has one.
}

// startRedis starts a throwaway redis-server on a free port with a
// password, returning its address and a function that stops it.
func startRedis(t *testing.T) (string, func()) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("TEST_DOCKERFLOW_REDIS_ADDR") != "" {
			t.Fatalf("redis-server not found, though TEST_DOCKERFLOW_REDIS_ADDR is set: %v", err)
		}
		t.Skip("redis-server is not installed")
	}
	addr := faulttest.FreeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--requirepass", "right-password",
		"--save", "", "--appendonly", "no", "--dir", dir, "--logfile", filepath.Join(dir, "log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	t.Cleanup(stop)
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr, stop
		}
		if i > 200 {
			t.Fatalf("redis-server on %s did not start: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestThrowawayRedis(t *testing.T) {
	addr, stop := startRedis(t)
	good := newClient(t, &redis.Options{Addr: addr, Password: "right-password"})
	want(t, run(t, good, time.Second), "")
	want(t, run(t, newClient(t, &redis.Options{Addr: addr, Password: password}), time.Second), redischeck.IDMisconfigured)
	want(t, run(t, newClient(t, &redis.Options{Addr: addr}), time.Second), redischeck.IDMisconfigured)
	stop()
	msgs := run(t, good, time.Second)
	want(t, msgs, redischeck.IDCannotConnect)
	if len(msgs) == 1 && !strings.HasPrefix(msgs[0].Text, "cannot connect to Redis: ") {
		t.Errorf("text %q", msgs[0].Text)
	}
}

// A refused Redis is reported with its cause, inside the check's default
// timeout, on a client with the options the README recommends; on
// go-redis's defaults, whose retries outlast the timeout, the message
// says so and what to change.
func TestRefusedRedisReportsItsCause(t *testing.T) {
	addr := faulttest.FreeAddr(t)
	msgs := run(t, newClient(t, &redis.Options{Addr: addr}), 0) // 0: the default 800ms
	want(t, msgs, redischeck.IDCannotConnect)
	if len(msgs) == 1 && !strings.Contains(msgs[0].Text, "connection refused") {
		t.Errorf("recommended options: %q, want the cause", msgs[0].Text)
	}
	defaults := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = defaults.Close() })
	msgs = run(t, defaults, 300*time.Millisecond)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "connection refused") && !strings.Contains(msgs[0].Text, "MaxRetries: -1") {
		t.Errorf("go-redis defaults: %+v, want the cause or what hides it", msgs)
	}
}

// With the options the docs give, a Redis that refuses connections fails
// each heartbeat at once, on go-redis v9 and v8 (issue 33: every heartbeat
// took 0.51 s, go-redis v9's DialerRetries, 5 dials 100 ms apart,
// outlasting the README's options). Without DialerRetries: 1, v9's dials
// take 400 ms or more, which the bound tells apart from a refused dial's
// milliseconds on any machine.
func TestRefusedRedisFailsFast(t *testing.T) {
	const fast = 250 * time.Millisecond
	addr := faulttest.FreeAddr(t)
	v9 := newClient(t, &redis.Options{Addr: addr})
	v8 := redisv8.NewClient(&redisv8.Options{Addr: addr, MaxRetries: -1})
	t.Cleanup(func() { _ = v8.Close() })
	timed := func(name string, heartbeat func() []dockerflow.Message) {
		for i := 0; i < 3; i++ {
			start := time.Now()
			msgs := heartbeat()
			took := time.Since(start)
			want(t, msgs, redischeck.IDCannotConnect)
			if took > fast || len(msgs) == 1 && !strings.Contains(msgs[0].Text, "connection refused") {
				t.Errorf("%s, heartbeat %d: %v, %+v; want the cause within %v", name, i, took, msgs, fast)
			}
		}
	}
	timed("go-redis v9", func() []dockerflow.Message { return run(t, v9, 0) })
	timed("go-redis v8", func() []dockerflow.Message { return run(t, v8, 0) })

	// The options before: the dials' retries take 400 ms or more.
	before := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { _ = before.Close() })
	start := time.Now()
	run(t, before, 0)
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Logf("without DialerRetries: 1 a refused heartbeat took %v (go-redis retried no dial)", took)
	}
}

// A go-redis v8 client works as it is: the check needs no v9.
func TestGoRedisV8(t *testing.T) {
	m := miniredis.RunT(t)
	c := redisv8.NewClient(&redisv8.Options{Addr: m.Addr(), Password: password, MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	msgs := run(t, c, time.Second)
	want(t, msgs, redischeck.IDMisconfigured) // miniredis has no password: AUTH is refused
	m.RequireAuth(password)
	want(t, run(t, c, time.Second), "")
	m.SetError("LOADING Redis is loading the dataset in memory")
	want(t, run(t, c, time.Second), redischeck.IDRedisError)
	m.SetError("")
	m.Close()
	want(t, run(t, c, time.Second), redischeck.IDCannotConnect)
	var _ redischeck.Pinger[*redisv8.StatusCmd] = redisv8.UniversalClient(nil)
}
