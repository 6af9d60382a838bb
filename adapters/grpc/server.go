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
// after which the calls left are cut (Stop) and logged as cut short. A
// handler that ignores its context cannot hold the process: Run gives the
// server a second to stop, then leaves it behind and says so.
func Server(srv *grpc.Server, lis net.Listener) dockerflow.Server { return &server{srv: srv, lis: lis} }

type server struct {
	srv *grpc.Server
	lis net.Listener
}

// ListenAndServe serves on the listener; nil once stopped.
func (s *server) ListenAndServe() error { return s.srv.Serve(s.lis) }

// Shutdown is GracefulStop, cut short by Stop when ctx ends. It returns
// when ctx ends whether or not the server has stopped: GracefulStop (and
// then Stop) wait for handlers that may never return, and what to wait
// for then is Run's to decide.
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
		go s.srv.Stop()
		return ctx.Err()
	}
}

// Close is Stop, without waiting for it: Stop blocks while a graceful
// stop waits for a handler that ignores its context.
func (s *server) Close() error {
	go s.srv.Stop()
	return nil
}

// String names the server in Run's log.
func (s *server) String() string { return "the gRPC server on " + s.lis.Addr().String() }
