package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// healthProbeVersion is the grpc-health-probe the test builds from the Go
// module proxy: a client nobody here wrote.
const healthProbeVersion = "github.com/grpc-ecosystem/grpc-health-probe@v0.4.62"

var (
	probeOnce sync.Once
	probeBin  string
	probeErr  error
)

// healthProbe returns grpc-health-probe: TEST_DOCKERFLOW_GRPC_HEALTH_PROBE,
// or one go install builds once per run.
func healthProbe(t *testing.T) string {
	if p := os.Getenv("TEST_DOCKERFLOW_GRPC_HEALTH_PROBE"); p != "" {
		return p
	}
	probeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "grpc-health-probe-")
		if err != nil {
			probeErr = err
			return
		}
		cmd := exec.Command("go", "install", healthProbeVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=-mod=mod", "GOWORK=off")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			probeErr = errors.New("go install " + healthProbeVersion + ": " + err.Error() + "\n" + string(out))
			return
		}
		probeBin = filepath.Join(dir, "grpc-health-probe")
	})
	if probeErr != nil {
		t.Fatal(probeErr)
	}
	return probeBin
}

// probe runs grpc-health-probe and returns its exit code and output.
func probe(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard
	defer cancel()
	out, err := exec.CommandContext(ctx, healthProbe(t), append([]string{"-connect-timeout=10s", "-rpc-timeout=10s"}, args...)...).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	}
	t.Fatalf("grpc-health-probe: %v", err)
	return 0, ""
}

// The gRPC example answers grpc-health-probe from the shared check set:
// SERVING (exit 0), NOT_SERVING (exit 4) once the Redis it checks is
// gone, NOT_FOUND for a name no check has; Watch sees the change; every
// call has its request.summary.
func TestGRPCHealth(t *testing.T) {
	redis := miniredis.NewMiniRedis()
	if err := redis.Start(); err != nil {
		t.Fatal(err)
	}
	defer redis.Close()
	grpcPort := freePort(t)
	grpcAddr := "127.0.0.1:" + strconv.Itoa(grpcPort)
	s := start(t, "grpc", "DATABASE_URL=", "REDIS_URL=redis://"+redis.Addr()+"/0", "GRPC_PORT="+strconv.Itoa(grpcPort),
		"DOCKERFLOW_HEARTBEAT_INTERVAL=200ms", "DOCKERFLOW_CHECK_TIMEOUT=1s")
	// start waited for HTTP; the gRPC listener opened before it answered.

	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"-addr=" + grpcAddr}, 0, "status: SERVING"},
		{[]string{"-addr=" + grpcAddr, "-service=redis"}, 0, "status: SERVING"},
		{[]string{"-addr=" + grpcAddr, "-service=nope"}, 3, "NotFound"},
	} {
		if code, out := probe(t, tc.args...); code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("grpc-health-probe %v: exit %d %q, want %d and %q", tc.args, code, out, tc.code, tc.out)
		}
	}

	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
	defer cancel()

	// The example's own RPC, with a request ID the summary keeps.
	var header metadata.MD
	err = conn.Invoke(metadata.AppendToOutgoingContext(ctx, "x-request-id", "grpc-note-1"), "/notes.v1.Notes/Get",
		wrapperspb.String("missing"), new(wrapperspb.StringValue), grpc.Header(&header))
	if status.Code(err) != codes.NotFound || len(header.Get("x-request-id")) != 1 || header.Get("x-request-id")[0] != "grpc-note-1" {
		t.Errorf("Notes/Get: %v, header metadata %v", err, header)
	}

	watch, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	next := func(want healthpb.HealthCheckResponse_ServingStatus) {
		t.Helper()
		if resp, err := watch.Recv(); err != nil || resp.GetStatus() != want {
			t.Fatalf("Watch sent %v, %v; want %v", resp.GetStatus(), err, want)
		}
	}
	next(healthpb.HealthCheckResponse_SERVING)
	redis.Close() // the Redis the service checks is gone
	next(healthpb.HealthCheckResponse_NOT_SERVING)
	if code, out := probe(t, "-addr="+grpcAddr); code != 4 || !strings.Contains(out, "NOT_SERVING") {
		t.Errorf("grpc-health-probe with Redis gone: exit %d %q, want 4 and NOT_SERVING", code, out)
	}
	for _, service := range []string{"database", "__lbheartbeat__"} { // liveness runs no check
		if code, out := probe(t, "-addr="+grpcAddr, "-service="+service); code != 0 {
			t.Errorf("grpc-health-probe -service=%s with Redis gone: exit %d %q, want 0", service, code, out)
		}
	}
	if code, body := s.do("GET", "/__heartbeat__", nil); code != 500 || !strings.Contains(body, `"status":"error"`) {
		t.Errorf("HTTP heartbeat with Redis gone: %d %s", code, body)
	}
	cancel()
	s.stop()

	// One summary per call, with the gRPC status; stdout all mozlog,
	// stderr empty.
	var calls []string
	for _, line := range s.logLines() {
		f, _ := line["Fields"].(map[string]any)
		if line["Type"] != "request.summary" || !strings.HasPrefix(f["method"].(string), "/") {
			continue
		}
		calls = append(calls, f["method"].(string)+" "+f["status"].(string))
		if f["method"] == "/notes.v1.Notes/Get" && (f["rid"] != "grpc-note-1" || f["code"] != float64(5)) {
			t.Errorf("Notes/Get summary: %v", f)
		}
	}
	want := []string{"/grpc.health.v1.Health/Check OK", "/grpc.health.v1.Health/Check OK", "/grpc.health.v1.Health/Check NOT_FOUND",
		"/notes.v1.Notes/Get NOT_FOUND", "/grpc.health.v1.Health/Check OK", "/grpc.health.v1.Health/Check OK",
		"/grpc.health.v1.Health/Check OK", "/grpc.health.v1.Health/Watch UNAVAILABLE"}
	// The Watch open at SIGTERM ends as the server stops: UNAVAILABLE,
	// or CANCELLED when the client's side of it ended first.
	if n := len(calls); n > 0 && calls[n-1] == "/grpc.health.v1.Health/Watch CANCELLED" {
		calls[n-1] = want[len(want)-1]
	}
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("summaries of calls:\n  %s\nwant\n  %s", strings.Join(calls, "\n  "), strings.Join(want, "\n  "))
	}
	if e := s.stderr.String(); e != "" {
		t.Errorf("stderr: %q", e)
	}

	// A bad GRPC_PORT stops start-up, naming it.
	cmd := exec.Command(bin["grpc"])
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(freePort(t)), "GRPC_PORT=nine", "DATABASE_URL=", "REDIS_URL=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || strings.TrimSpace(stderr.String()) != `error: invalid GRPC_PORT="nine": want a port number from 1 to 65535` {
		t.Errorf("GRPC_PORT=nine: %v, stderr %q", err, stderr.String())
	}
}
