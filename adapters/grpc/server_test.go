package dockerflowgrpc_test

import (
	"context"
	"net"
	"testing"
	"time"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// Service.Run with a gRPC server: when the service drains, an open Watch
// receives NOT_SERVING at once and Check answers NOT_SERVING for every
// name, __lbheartbeat__ included; when it stops, the Watch stream ends and
// the graceful stop does not wait on it (it waited the whole shutdown
// timeout, and the process exited 1).
func TestRunStopsGRPCWithWatchOpen(t *testing.T) {
	const delay = 500 * time.Millisecond
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{DrainDelay: delay, ShutdownTimeout: time.Minute})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(dockerflowgrpc.ServerOptions(svc)...)
	dockerflowgrpc.Register(srv, svc)
	ctx, drain := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- svc.Run(ctx, dockerflowgrpc.Server(srv, lis)) }()

	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	watches := map[string]healthpb.Health_WatchClient{}
	for _, name := range []string{"", dockerflowgrpc.LBHeartbeatService} {
		w, err := client.Watch(context.Background(), &healthpb.HealthCheckRequest{Service: name})
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := w.Recv(); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("Watch(%q) before SIGTERM: %v, %v", name, resp.GetStatus(), err)
		}
		watches[name] = w
	}

	drained := time.Now()
	drain()
	for name, w := range watches {
		resp, err := w.Recv()
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
			t.Errorf("Watch(%q) when draining: %v, %v", name, resp.GetStatus(), err)
		}
		if took := time.Since(drained); took > delay {
			t.Errorf("Watch(%q) told after %v, within the delay of %v is the point", name, took, delay)
		}
	}
	for _, name := range []string{"", dockerflowgrpc.LBHeartbeatService} {
		resp, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: name})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
			t.Errorf("Check(%q) while draining: %v, %v", name, resp.GetStatus(), err)
		}
	}
	for name, w := range watches {
		if _, err := w.Recv(); status.Code(err) != codes.Unavailable {
			t.Errorf("Watch(%q) when stopping: %v, want the stream ended UNAVAILABLE", name, err)
		}
	}
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		if took := time.Since(drained); took < delay {
			t.Errorf("Run returned %v after the drain began, before its delay", took)
		}
	case <-time.After(30 * time.Second): // the shutdown timeout is a minute
		t.Fatal("Run still stopping 30s on: GracefulStop waits on the Watch streams")
	}
}
