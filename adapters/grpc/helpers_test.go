package dockerflowgrpc_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/test/bufconn"
)

// switchCheck is a check whose level the test sets, counting its runs.
type switchCheck struct {
	failing atomic.Bool
	runs    atomic.Int64
}

func (c *switchCheck) check(name string) dockerflow.Check {
	return dockerflow.Check{Name: name, Func: func(ctx context.Context) []dockerflow.Message {
		c.runs.Add(1)
		if c.failing.Load() {
			return []dockerflow.Message{dockerflow.Error(name+".E001", name+" is down")}
		}
		return nil
	}}
}

// server is a gRPC server on an in-memory listener, with the health
// service and the interceptors, and a client connection to it.
type server struct {
	svc    *dockerflow.Service
	log    *dockerflowtest.Logger
	health *dockerflowgrpc.HealthServer
	conn   *grpc.ClientConn
	client healthpb.HealthClient
	grpc   *grpc.Server
}

func newServer(t *testing.T, cfg dockerflow.Config, register func(s *grpc.Server), opts ...dockerflowgrpc.Option) *server {
	return newServerWith(t, cfg, interceptorsOnly, register, opts...)
}

// A server's options: the interceptors alone, or ServerOptions (the stats
// handler too, and the limits).
var (
	interceptorsOnly = func(svc *dockerflow.Service) []grpc.ServerOption {
		return []grpc.ServerOption{
			grpc.ChainUnaryInterceptor(dockerflowgrpc.UnaryServerInterceptor(svc)),
			grpc.ChainStreamInterceptor(dockerflowgrpc.StreamServerInterceptor(svc))}
	}
	serverOptions = dockerflowgrpc.ServerOptions
)

func newServerWith(t *testing.T, cfg dockerflow.Config, options func(*dockerflow.Service) []grpc.ServerOption, register func(s *grpc.Server), opts ...dockerflowgrpc.Option) *server {
	t.Helper()
	svc, log := dockerflowtest.NewService(t, cfg)
	s := grpc.NewServer(options(svc)...)
	health := dockerflowgrpc.Register(s, svc, opts...)
	if register != nil {
		register(s)
	}
	lis := bufconn.Listen(1 << 20)
	go func() { _ = s.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close()
		s.Stop()
	})
	return &server{svc: svc, log: log, health: health, conn: conn, client: healthpb.NewHealthClient(conn), grpc: s}
}

// summaries waits for n summaries (a stats handler logs a call's once
// the client has its answer) and returns them.
func summaries(t *testing.T, log *dockerflowtest.Logger, n int) []dockerflow.Summary {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a hang guard
	for {
		s := log.Summaries()
		if len(s) >= n || time.Now().After(deadline) {
			return s
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// ctx is a context with a generous deadline: a hang guard only.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}
