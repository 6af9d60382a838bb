package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// status is GET path's status on a new connection, 0 when it got none.
func (s *service) status(path string) int {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	resp, err := c.Get(s.base + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitExit waits for the process to end, and returns when it did.
func (s *service) waitExit(guard time.Duration) time.Time {
	s.t.Helper()
	select {
	case <-s.exited:
		// When it exited, not when this was called: a test that
		// measures how long a stop took must not count its own work
		// since (probes, reads) on a loaded machine.
		return s.exitedAt
	case <-time.After(guard):
		s.t.Fatalf("no exit within %v", guard)
	}
	return time.Time{}
}

// On SIGTERM every example drains for DOCKERFLOW_DRAIN_DELAY: at once
// /__lbheartbeat__ is 503 and /__heartbeat__ fails, while requests are
// served (on a kept-alive connection with Connection: close, and on new
// connections, until the delay ends); then it exits 0.
func TestDrainOnSIGTERM(t *testing.T) {
	const delay = 2 * time.Second
	for _, example := range append(examples, "grpc") {
		t.Run(example, func(t *testing.T) {
			t.Parallel()
			env := []string{"DOCKERFLOW_DRAIN_DELAY=" + delay.String()}
			if example == "grpc" {
				env = append(env, "GRPC_PORT="+strconv.Itoa(freePort(t)))
			}
			s := start(t, example, env...)
			kept := &http.Client{Timeout: 5 * time.Second}
			get := func(c *http.Client, path string) (int, bool) {
				resp, err := c.Get(s.base + path)
				if err != nil {
					t.Errorf("GET %s while draining: %v", path, err)
					return 0, false
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode, resp.Close
			}
			if code, closing := get(kept, "/"); code != 200 || closing {
				t.Fatalf("before SIGTERM: %d, Connection: close %v", code, closing)
			}
			signalled := time.Now()
			if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			for s.status("/__lbheartbeat__") != http.StatusServiceUnavailable {
				if time.Since(signalled) > delay/2 {
					t.Fatalf("/__lbheartbeat__ not 503 within %v of SIGTERM", delay/2)
				}
				time.Sleep(10 * time.Millisecond)
			}
			t.Logf("/__lbheartbeat__ 503 %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
			if code := s.status("/__heartbeat__"); code == 200 || code == 0 {
				t.Errorf("/__heartbeat__ while draining: %d, want it failing", code)
			}
			if code, closing := get(kept, "/"); code != 200 || !closing {
				t.Errorf("a kept-alive request while draining: %d, Connection: close %v", code, closing)
			}
			if code := s.status("/"); code != 200 {
				t.Errorf("a new connection while draining: %d", code)
			}
			exited := s.waitExit(delay + 20*time.Second)
			if took := exited.Sub(signalled); took < delay {
				t.Errorf("exited %v after SIGTERM, before the %v delay", took, delay)
			}
			if s.exitErr != nil {
				t.Errorf("exit: %v, want status 0", s.exitErr)
			}
			logs := s.stdout.String()
			for _, want := range []string{"received SIGTERM: draining for 2s", "stopped accepting", "stopped: 0 requests cut short"} {
				if !strings.Contains(logs, want) {
					t.Errorf("the logs lack %q", want)
				}
			}
		})
	}
}

// gRPC on SIGTERM: an open Watch gets NOT_SERVING at once,
// grpc-health-probe exits 4 during the delay, the Watch stream ends, and
// the process exits 0 soon after the delay (it waited the whole shutdown
// timeout on the Watch, then exited 1).
func TestGRPCDrain(t *testing.T) {
	const delay = 2 * time.Second
	grpcPort := freePort(t)
	grpcAddr := "127.0.0.1:" + strconv.Itoa(grpcPort)
	s := start(t, "grpc", "GRPC_PORT="+strconv.Itoa(grpcPort), "DOCKERFLOW_DRAIN_DELAY="+delay.String(),
		"DOCKERFLOW_SHUTDOWN_TIMEOUT=20s", "DOCKERFLOW_HEARTBEAT_INTERVAL=200ms")
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
	defer cancel()
	watch, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := watch.Recv(); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("Watch before SIGTERM: %v, %v", resp.GetStatus(), err)
	}
	signalled := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	resp, err := watch.Recv()
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("Watch after SIGTERM: %v, %v", resp.GetStatus(), err)
	}
	t.Logf("Watch told NOT_SERVING %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
	if took := time.Since(signalled); took > delay/2 {
		t.Errorf("Watch told after %v", took)
	}
	for _, args := range [][]string{{"-addr=" + grpcAddr}, {"-addr=" + grpcAddr, "-service=__lbheartbeat__"}} {
		if code, out := probe(t, args...); code != 4 && time.Since(signalled) < delay {
			t.Errorf("grpc-health-probe %v while draining: exit %d %q, want 4 (NOT_SERVING)", args, code, out)
		}
	}
	if _, err := watch.Recv(); err == nil {
		t.Error("the Watch stream did not end")
	}
	exited := s.waitExit(delay + 15*time.Second)
	if s.exitErr != nil {
		t.Errorf("exit: %v, want status 0", s.exitErr)
	}
	if took := exited.Sub(signalled); took < delay || took > delay+10*time.Second {
		t.Errorf("exited %v after SIGTERM; want soon after the %v delay, not the 20s shutdown timeout", took, delay)
	}
}

// The healthcheck subcommand, for images without a shell: exit 0 against
// a running service, 1 with one line saying why when nothing listens or
// the endpoint fails.
func TestHealthcheckSubcommand(t *testing.T) {
	s := start(t, "chi")
	port := strings.TrimPrefix(s.base, "http://127.0.0.1:")
	run := func(port string, args ...string) (int, string) {
		cmd := exec.Command(bin["chi"], append([]string{"healthcheck"}, args...)...)
		cmd.Env = append(os.Environ(), "PORT="+port)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := run(port); code != 0 || out != "" {
		t.Errorf("healthcheck: %d %q", code, out)
	}
	if code, out := run(port, "heartbeat"); code != 0 {
		t.Errorf("healthcheck heartbeat: %d %q", code, out)
	}
	start := time.Now()
	if code, out := run(strconv.Itoa(freePort(t))); code != 1 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "refused") {
		t.Errorf("healthcheck with nothing listening: %d %q", code, out)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("healthcheck with nothing listening took %v", took)
	}
}

// Behind a real load balancer: HAProxy health-checks two instances'
// /__lbheartbeat__ every 100 ms, with no retries and no redispatch, under
// steady load from keep-alive clients; one instance gets SIGTERM. No
// client request fails, and the instance exits 0. (Without the drain, 59
// of 3509 requests failed.)
func TestDrainBehindHAProxy(t *testing.T) {
	haproxy := os.Getenv("TEST_DOCKERFLOW_HAPROXY")
	if haproxy == "" {
		t.Skip("TEST_DOCKERFLOW_HAPROXY is not set (the path of haproxy; .ci/run sets it)")
	}
	const delay = 2 * time.Second
	a := start(t, "chi", "DOCKERFLOW_DRAIN_DELAY="+delay.String(), "DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS=/__lbheartbeat__")
	b := start(t, "chi", "DOCKERFLOW_DRAIN_DELAY="+delay.String(), "DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS=/__lbheartbeat__")
	front := freePort(t)
	cfg := fmt.Sprintf(`global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 0
  option http-keep-alive
frontend web
  bind 127.0.0.1:%d
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /__lbheartbeat__
  http-check expect status 200
  default-server inter 100ms fall 1 rise 2
  server a %s check
  server b %s check
`, front, strings.TrimPrefix(a.base, "http://"), strings.TrimPrefix(b.base, "http://"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "haproxy.cfg"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	lb := exec.Command(haproxy, "-db", "-f", filepath.Join(dir, "haproxy.cfg"))
	var lbOut strings.Builder
	lb.Stdout, lb.Stderr = &lbOut, &lbOut
	if err := lb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lb.Process.Kill(); _ = lb.Wait() }()
	base := "http://127.0.0.1:" + strconv.Itoa(front)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("HAProxy did not answer within 20s:\n%s", lbOut.String())
		}
	}
	time.Sleep(500 * time.Millisecond) // both servers up (rise 2)

	var sent, failed atomic.Int64
	var failures sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				sent.Add(1)
				resp, err := c.Get(base + "/")
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					why := fmt.Sprint(err)
					if err == nil {
						why = resp.Status
					}
					failures.Store(why, true)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	time.Sleep(time.Second)
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	a.waitExit(delay + 20*time.Second)
	time.Sleep(time.Second) // the load goes on, on b alone
	close(stop)
	wg.Wait()
	t.Logf("%d requests through HAProxy, %d failed", sent.Load(), failed.Load())
	if a.exitErr != nil {
		t.Errorf("the instance stopped: %v, want exit 0", a.exitErr)
	}
	if sent.Load() < 100 {
		t.Errorf("only %d requests sent", sent.Load())
	}
	if n := failed.Load(); n != 0 {
		var whys []string
		failures.Range(func(k, _ any) bool { whys = append(whys, k.(string)); return true })
		t.Errorf("%d of %d requests failed: %s\nHAProxy:\n%s", n, sent.Load(), strings.Join(whys, "; "), lbOut.String())
	}
}
