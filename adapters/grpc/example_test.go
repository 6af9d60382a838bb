package dockerflowgrpc_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func Example() {
	// Logs go to stdout as mozlog by default; discarded here.
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer svc.Close()
	var cacheDown atomic.Bool
	_ = svc.Register(dockerflow.Check{Name: "cache", Func: func(ctx context.Context) []dockerflow.Message {
		if cacheDown.Load() {
			return []dockerflow.Message{dockerflow.Error("cache.E001", "cache unreachable")}
		}
		return nil
	}})

	s := grpc.NewServer(dockerflowgrpc.ServerOptions(svc)...)
	health := dockerflowgrpc.Register(s, svc)
	// pb.RegisterNotesServer(s, notes): the application's own services.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	go func() { _ = s.Serve(lis) }()
	defer s.Stop()

	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	check := func(service string) {
		resp, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: service})
		fmt.Printf("%q: %v %v\n", service, resp.GetStatus(), err)
	}
	check("")
	cacheDown.Store(true)
	check("")
	check("cache")
	health.Shutdown() // by hand; Service.Run does the same on SIGTERM
	cacheDown.Store(false)
	check("")
	// Output:
	// "": SERVING <nil>
	// "": NOT_SERVING <nil>
	// "cache": NOT_SERVING <nil>
	// "": NOT_SERVING <nil>
}
