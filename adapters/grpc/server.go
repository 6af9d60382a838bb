package dockerflowgrpc

import (
	"context"
	"net"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"google.golang.org/grpc"
)

// Server returns srv, serving on lis, as a dockerflow.Server, so that
// Service.Run serves it beside the HTTP servers and stops it without
// dropping a call:
//
//	err := svc.Run(ctx, httpServer, dockerflowgrpc.Server(grpcServer, lis))
//
// On SIGTERM the health server (Register) answers NOT_SERVING, and tells
// every Watch, for the drain delay; then its Watch streams end and the
// server stops gracefully (GracefulStop), within the shutdown timeout,
// after which the calls left are cut (Stop).
func Server(srv *grpc.Server, lis net.Listener) dockerflow.Server { return &server{srv: srv, lis: lis} }

type server struct {
	srv *grpc.Server
	lis net.Listener
}

// ListenAndServe serves on the listener; nil once stopped.
func (s *server) ListenAndServe() error { return s.srv.Serve(s.lis) }

// Shutdown is GracefulStop, cut short by Stop when ctx ends.
func (s *server) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.srv.GracefulStop()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.srv.Stop()
		<-done
		return ctx.Err()
	}
}

// Close is Stop.
func (s *server) Close() error {
	s.srv.Stop()
	return nil
}
