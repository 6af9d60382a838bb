package dockerflowgrpc_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// A call past its deadline is logged DEADLINE_EXCEEDED, as the client saw
// it, whether its handler gave up with its context (which the client's
// reset made CANCELLED) or ignored it and returned OK.
func TestDeadlineExceededAsTheClientSawIt(t *testing.T) {
	for name, options := range map[string]func(*dockerflow.Service) []grpc.ServerOption{"interceptors": interceptorsOnly, "server-options": serverOptions} {
		t.Run(name, func(t *testing.T) {
			s := newServerWith(t, dockerflow.Config{}, options, withEcho)
			for _, ask := range []string{"wait-deadline", "ignore-deadline"} {
				s.log.Reset()
				ctx, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
				err := s.conn.Invoke(ctx, "/test.Echo/Say", wrapperspb.String(ask), new(wrapperspb.StringValue))
				cancel()
				if status.Code(err) != codes.DeadlineExceeded {
					t.Fatalf("%s: the client got %v", ask, err)
				}
				sums := summaries(t, s.log, 1)
				if len(sums) != 1 || sums[0].Status != "DEADLINE_EXCEEDED" || sums[0].Code != int(codes.DeadlineExceeded) {
					t.Errorf("%s: summaries %+v, want one DEADLINE_EXCEEDED", ask, sums)
				}
			}
		})
	}
}

// Every RPC gets one summary: grpc-go runs no interceptor for a method it
// does not know, the stats handler sees it.
func TestUnknownMethodSummarised(t *testing.T) {
	s := newServerWith(t, dockerflow.Config{}, serverOptions, withEcho)
	err := s.conn.Invoke(ctx(t), "/test.Echo/Nope", wrapperspb.String("x"), new(wrapperspb.StringValue))
	if status.Code(err) != codes.Unimplemented {
		t.Fatalf("the client got %v", err)
	}
	sums := summaries(t, s.log, 1)
	if len(sums) != 1 || sums[0].Status != "UNIMPLEMENTED" || sums[0].Path != "/test.Echo/Nope" || sums[0].RID == "" {
		t.Errorf("summaries %+v, want one UNIMPLEMENTED", sums)
	}
	// And a known one still gets exactly one, not one from each.
	s.log.Reset()
	if err := s.conn.Invoke(ctx(t), "/test.Echo/Say", wrapperspb.String("ok"), new(wrapperspb.StringValue)); err != nil {
		t.Fatal(err)
	}
	summaries(t, s.log, 1)
	time.Sleep(50 * time.Millisecond) // room for a second one to show
	if n := len(s.log.Summaries()); n != 1 {
		t.Errorf("%d summaries for one call, want 1", n)
	}
}

// A handler that returns OK after the server stopped under it is logged
// UNAVAILABLE: the client got that, not OK.
func TestCallCutByStopLoggedUnavailable(t *testing.T) {
	s := newServerWith(t, dockerflow.Config{}, serverOptions, withEcho)
	errc := make(chan error, 1)
	go func() {
		errc <- s.conn.Invoke(ctx(t), "/test.Echo/Say", wrapperspb.String("block"), new(wrapperspb.StringValue))
	}()
	<-entered // the call is in its handler
	s.grpc.Stop()
	if err := <-errc; status.Code(err) != codes.Unavailable {
		t.Fatalf("the client got %v", err)
	}
	unblock <- struct{}{}
	sums := summaries(t, s.log, 1)
	if len(sums) != 1 || sums[0].Status != "UNAVAILABLE" {
		t.Errorf("summaries %+v, want one UNAVAILABLE", sums)
	}
}

// ServerOptions caps the streams of one connection: a client cannot hold
// thousands of Watch streams (and their goroutines) on one connection.
func TestServerOptionsCapStreams(t *testing.T) {
	s := newServerWith(t, dockerflow.Config{}, serverOptions, nil)
	ctx, cancel := context.WithCancel(ctx(t))
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < 256; i++ {
		w, err := s.client.Watch(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Recv(); err != nil { // open, and answered
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = w.Recv() }()
	}
	one, cancelOne := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelOne()
	w, err := s.client.Watch(one, &healthpb.HealthCheckRequest{})
	if err == nil {
		_, err = w.Recv()
	}
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("the 257th stream on one connection: %v, want it held back until its deadline", err)
	}
	cancel()
	wg.Wait()
}

// A client whose deadline fires and which then closes its connection saw
// DEADLINE_EXCEEDED: so says the summary, whatever the server saw first
// (the stream reset, or the connection's end) and however the handler
// ended (issue 33: 5 of 9 summaries said UNAVAILABLE). Over TCP, each
// call on a connection of its own, which the client closes at once.
func TestDeadlineThenConnectionClosed(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{})
	srv := grpc.NewServer(dockerflowgrpc.ServerOptions(svc)...)
	withEcho(srv)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	const calls = 9
	for i := range calls {
		ask := []string{"wait-deadline", "ignore-deadline", "slow-ok"}[i%3]
		conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		// Connected first, and a deadline long enough for the call to
		// reach the server on a loaded machine: a call the server never
		// saw has no summary.
		ready(t, conn)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err = conn.Invoke(ctx, "/test.Echo/Say", wrapperspb.String(ask), new(wrapperspb.StringValue))
		conn.Close() // at once, as a client that gives up does
		cancel()
		if status.Code(err) != codes.DeadlineExceeded {
			t.Fatalf("%s: the client got %v", ask, err)
		}
	}
	sums := summaries(t, log, calls)
	wrong := 0
	for _, s := range sums {
		if s.Status != "DEADLINE_EXCEEDED" {
			wrong++
			t.Logf("%s: %s", s.RID, s.Status)
		}
	}
	if len(sums) != calls || wrong > 0 {
		t.Errorf("%d summaries for %d calls, %d not DEADLINE_EXCEEDED", len(sums), calls, wrong)
	}
}

// ready waits until conn is connected (a hang guard of a minute).
func ready(t *testing.T, conn *grpc.ClientConn) {
	t.Helper()
	c := ctx(t)
	conn.Connect()
	for state := conn.GetState(); state != connectivity.Ready; state = conn.GetState() {
		if !conn.WaitForStateChange(c, state) {
			t.Fatalf("the connection is %v, not ready", state)
		}
	}
}
