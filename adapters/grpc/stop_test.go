package dockerflowgrpc_test

import (
	"context"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// hanging serves test.Hang/Unary and test.Hang/Stream, whose handlers
// ignore their context: they return only when release is closed.
type hanging struct {
	started chan string
	release chan struct{}
}

func (h *hanging) desc() *grpc.ServiceDesc {
	return &grpc.ServiceDesc{
		ServiceName: "test.Hang",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Unary", Handler: func(_ any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			handler := func(context.Context, any) (any, error) {
				h.started <- "unary"
				<-h.release
				return in, nil
			}
			return ic(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/test.Hang/Unary"}, handler)
		}}},
		Streams: []grpc.StreamDesc{{StreamName: "Stream", ServerStreams: true, Handler: func(_ any, ss grpc.ServerStream) error {
			h.started <- "stream"
			<-h.release
			return nil
		}}},
	}
}

// Service.Run stops a gRPC server whose handlers ignore their context
// within the drain delay, the shutdown timeout and a second, after the
// timeout or at a second SIGTERM, and logs each call it cut (issue 33: a
// unary or streaming handler ignoring its context kept the process alive
// past the timeout forever, a second SIGTERM was ignored, and no summary
// was logged).
func TestRunCutsCallsIgnoringTheirContext(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout time.Duration
		signal  bool // a second SIGTERM while stopping, rather than the timeout
	}{
		{name: "timeout", timeout: time.Second},
		{name: "second SIGTERM", timeout: time.Minute, signal: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const delay = 300 * time.Millisecond
			svc, log := dockerflowtest.NewService(t, dockerflow.Config{DrainDelay: delay, ShutdownTimeout: tc.timeout})
			h := &hanging{started: make(chan string, 2), release: make(chan struct{})}
			t.Cleanup(func() { close(h.release) })
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := grpc.NewServer(dockerflowgrpc.ServerOptions(svc)...)
			srv.RegisterService(h.desc(), struct{}{})
			ran := make(chan error, 1)
			go func() { ran <- svc.Run(context.Background(), dockerflowgrpc.Server(srv, lis)) }()

			conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			go func() {
				_ = conn.Invoke(context.Background(), "/test.Hang/Unary", wrapperspb.String("x"), new(wrapperspb.StringValue))
			}()
			go func() {
				st, err := conn.NewStream(context.Background(), &grpc.StreamDesc{ServerStreams: true}, "/test.Hang/Stream")
				if err == nil && st.SendMsg(wrapperspb.String("x")) == nil && st.CloseSend() == nil {
					_ = st.RecvMsg(new(wrapperspb.StringValue))
				}
			}()
			for range 2 {
				select {
				case <-h.started:
				case <-time.After(30 * time.Second):
					t.Fatal("the calls did not start")
				}
			}

			signalled := time.Now()
			if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			bound := delay + tc.timeout + time.Second
			if tc.signal {
				waitEvent(t, log, "stopped accepting")
				if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
				bound = time.Since(signalled) + time.Second
			}
			select {
			case err := <-ran:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(30 * time.Second): // a hang guard
				t.Fatalf("Run still stopping 30s after SIGTERM (drain %v, timeout %v)", delay, tc.timeout)
			}
			// The bound is the promise; the slack, a loaded machine's.
			if took := time.Since(signalled); took > bound+2*time.Second {
				t.Errorf("Run returned %v after SIGTERM, want within %v", took, bound)
			}
			cut := 0
			for _, s := range log.Summaries() {
				if s.Status == "UNAVAILABLE" && s.Msg == "the service stopped before the request finished" && s.Level == dockerflow.LevelError {
					cut++
				}
			}
			if cut != 2 {
				t.Errorf("%d calls logged as cut short, want 2: %+v", cut, log.Summaries())
			}
			var msgs []string
			for _, e := range log.Events("dockerflow.lifecycle") {
				msgs = append(msgs, e.Msg)
			}
			if all := strings.Join(msgs, "\n"); !strings.Contains(all, "stopped: 2 requests cut short") || !strings.Contains(all, "waiting up to "+tc.timeout.String()+" for 2 requests in flight") {
				t.Errorf("lifecycle events:\n%s", all)
			}
		})
	}
}

// waitEvent waits for a lifecycle event holding msg.
func waitEvent(t *testing.T, log *dockerflowtest.Logger, msg string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a hang guard
	for time.Now().Before(deadline) {
		for _, e := range log.Events("dockerflow.lifecycle") {
			if strings.Contains(e.Msg, msg) {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no lifecycle event %q", msg)
}
