package dockerflowgrpc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// behave answers the test service's calls by what they ask for.
func behave(ctx context.Context, ask string) (*wrapperspb.StringValue, error) {
	switch ask {
	case "notfound":
		return nil, status.Error(codes.NotFound, "no such note")
	case "internal":
		return nil, status.Error(codes.Internal, "database is down")
	case "plain":
		return nil, errors.New("plain failure")
	case "leaky":
		return nil, status.Error(codes.DataLoss, "dial postgres://app:S3CRETPW2@db:5432/x failed")
	case "leaky-panic":
		panic("dial postgres://app:S3CRETPW2@db:5432/x failed")
	case "timeout":
		return nil, fmt.Errorf("query: %w", context.DeadlineExceeded)
	case "panic":
		panic("boom")
	case "ignore-deadline": // finishes after the deadline, ignoring its context
		deadline, _ := ctx.Deadline()
		time.Sleep(time.Until(deadline) + 20*time.Millisecond)
	case "slow-ok": // ends well, a little after the deadline, on a connection the client closed
		deadline, _ := ctx.Deadline()
		<-ctx.Done()
		time.Sleep(time.Until(deadline) + 5*time.Millisecond)
	case "wait-deadline": // gives up with its context
		<-ctx.Done()
		return nil, ctx.Err()
	case "wide": // adds a field to its summary
		if !dockerflow.AddFields(ctx, slog.String("plan", "pro"), slog.Int("status", 1)) {
			return nil, status.Error(codes.FailedPrecondition, "AddFields: no summary for this call")
		}
	case "block":
		entered <- struct{}{}
		<-unblock
	}
	return wrapperspb.String(dockerflow.RequestID(ctx)), nil
}

// A call that asks to "block" says so on entered, then waits for
// unblock.
var (
	entered = make(chan struct{}, 1)
	unblock = make(chan struct{})
)

// echoService is a hand-written service description: a unary Say and a
// server-streaming Stream.
var echoService = grpc.ServiceDesc{
	ServiceName: "test.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "Say", Handler: func(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
		in := new(wrapperspb.StringValue)
		if err := dec(in); err != nil {
			return nil, err
		}
		h := func(ctx context.Context, req any) (any, error) {
			return behave(ctx, req.(*wrapperspb.StringValue).Value)
		}
		return ic(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/test.Echo/Say"}, h)
	}}},
	Streams: []grpc.StreamDesc{{StreamName: "Stream", ServerStreams: true, Handler: func(srv any, ss grpc.ServerStream) error {
		in := new(wrapperspb.StringValue)
		if err := ss.RecvMsg(in); err != nil {
			return err
		}
		for range 2 {
			out, err := behave(ss.Context(), in.Value)
			if err != nil {
				return err
			}
			if err := ss.SendMsg(out); err != nil {
				return err
			}
		}
		return nil
	}}},
}

func withEcho(s *grpc.Server) { s.RegisterService(&echoService, struct{}{}) }

func TestUnaryInterceptor(t *testing.T) {
	t.Run("interceptors", func(t *testing.T) { testUnary(t, interceptorsOnly) })
	t.Run("server-options", func(t *testing.T) { testUnary(t, serverOptions) })
}

func testUnary(t *testing.T, options func(*dockerflow.Service) []grpc.ServerOption) {
	reports := make(chan dockerflow.ErrorReport, 10)
	report := func(_ context.Context, e *dockerflow.ErrorReport) { reports <- *e }
	s := newServerWith(t, dockerflow.Config{Observers: []dockerflow.Observer{{Error: report}}}, options, withEcho)
	trace := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	for _, tc := range []struct {
		ask, rid     string
		code         codes.Code
		name         string
		level        dockerflow.Level
		errText, msg string // the summary's error; the client's message
	}{
		{"ok", "rid-ok", codes.OK, "OK", dockerflow.LevelInfo, "", ""},
		{"notfound", "rid-nf", codes.NotFound, "NOT_FOUND", dockerflow.LevelInfo, "", "no such note"},
		{"internal", "rid-int", codes.Internal, "INTERNAL", dockerflow.LevelError, "database is down", "database is down"},
		{"plain", "rid-plain", codes.Unknown, "UNKNOWN", dockerflow.LevelError, "plain failure", "plain failure"},
		{"leaky", "rid-leak", codes.DataLoss, "DATA_LOSS", dockerflow.LevelError, "dial postgres://app:xxxxx@db:5432/x failed", "dial postgres://app:S3CRETPW2@db:5432/x failed"},
		{"leaky-panic", "rid-leak2", codes.Internal, "INTERNAL", dockerflow.LevelError, "dial postgres://app:xxxxx@db:5432/x failed", "internal error"},
		{"timeout", "rid-timeout", codes.DeadlineExceeded, "DEADLINE_EXCEEDED", dockerflow.LevelInfo, "", "query: context deadline exceeded"},
		{"panic", "rid-panic", codes.Internal, "INTERNAL", dockerflow.LevelError, "boom", "internal error"},
		{"ok", "", codes.OK, "OK", dockerflow.LevelInfo, "", ""}, // a new ID
	} {
		s.log.Reset()
		ctx := metadata.AppendToOutgoingContext(ctx(t), "traceparent", trace, "x-user", "ann")
		if tc.rid != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "x-request-id", tc.rid)
		}
		var header metadata.MD
		out := new(wrapperspb.StringValue)
		err := s.conn.Invoke(ctx, "/test.Echo/Say", wrapperspb.String(tc.ask), out, grpc.Header(&header))
		st := status.Convert(err)
		if st.Code() != tc.code || st.Message() != tc.msg {
			t.Errorf("%s: %v, want %v %q", tc.ask, err, tc.code, tc.msg)
		}
		sums := summaries(t, s.log, 1)
		if len(sums) != 1 {
			t.Fatalf("%s: %d summaries, want 1", tc.ask, len(sums))
		}
		sum := sums[0]
		rid := tc.rid
		if rid == "" {
			rid = sum.RID
			if len(rid) != 36 {
				t.Errorf("new request ID %q", rid)
			}
		}
		if got := header.Get("x-request-id"); len(got) != 1 || got[0] != rid {
			t.Errorf("%s: x-request-id header metadata %v, want %q", tc.ask, got, rid)
		}
		if tc.code == codes.OK && out.Value != rid {
			t.Errorf("%s: the handler's dockerflow.RequestID %q, want %q", tc.ask, out.Value, rid)
		}
		if sum.Method != "/test.Echo/Say" || sum.Path != "/test.Echo/Say" || sum.Code != int(tc.code) || sum.Errno != int(tc.code) ||
			sum.Status != tc.name || sum.Level != tc.level || sum.Error != tc.errText || sum.RID != rid ||
			sum.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || !strings.HasPrefix(sum.Agent, "grpc-go/") {
			t.Errorf("%s: summary %+v", tc.ask, sum)
		}
		if strings.HasSuffix(tc.ask, "panic") != strings.Contains(sum.Traceback, "interceptor_test.go") {
			t.Errorf("%s: traceback %q", tc.ask, sum.Traceback)
		}
		// The server's failures (UNKNOWN, INTERNAL, DATA_LOSS, panics) are
		// reported once, redacted; the client's are not (a report of
		// one would be taken for the next failure's, and not match it).
		if tc.level != dockerflow.LevelError {
			continue
		}
		select {
		case e := <-reports:
			if e.Text != tc.errText || e.Panic != strings.HasSuffix(tc.ask, "panic") || e.Summary.Status != tc.name || e.Summary.RID != rid {
				t.Errorf("%s: reported %+v", tc.ask, e)
			}
		case <-time.After(10 * time.Second): // a hang guard
			t.Fatalf("%s: not reported", tc.ask)
		}
	}
	if len(reports) != 0 {
		t.Errorf("reported more than once: %+v", <-reports)
	}
}

func TestStreamInterceptor(t *testing.T) {
	t.Run("interceptors", func(t *testing.T) { testStream(t, interceptorsOnly) })
	t.Run("server-options", func(t *testing.T) { testStream(t, serverOptions) })
}

func testStream(t *testing.T, options func(*dockerflow.Service) []grpc.ServerOption) {
	s := newServerWith(t, dockerflow.Config{}, options, withEcho)
	for _, tc := range []struct {
		ask  string
		code codes.Code
		got  int // messages received
	}{
		{"ok", codes.OK, 2},
		{"notfound", codes.NotFound, 0},
		{"panic", codes.Internal, 0},
	} {
		s.log.Reset()
		ctx := metadata.AppendToOutgoingContext(ctx(t), "x-request-id", "stream-"+tc.ask)
		cs, err := s.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, "/test.Echo/Stream")
		if err != nil {
			t.Fatal(err)
		}
		if err := cs.SendMsg(wrapperspb.String(tc.ask)); err != nil {
			t.Fatal(err)
		}
		_ = cs.CloseSend()
		n := 0
		for {
			out := new(wrapperspb.StringValue)
			if err = cs.RecvMsg(out); err != nil {
				break
			}
			if out.Value != "stream-"+tc.ask {
				t.Errorf("%s: the handler's request ID %q", tc.ask, out.Value)
			}
			n++
		}
		if err == io.EOF {
			err = nil
		}
		if status.Code(err) != tc.code || n != tc.got {
			t.Errorf("%s: %d messages, %v; want %d, %v", tc.ask, n, err, tc.got, tc.code)
		}
		if h, _ := cs.Header(); len(h.Get("x-request-id")) != 1 || h.Get("x-request-id")[0] != "stream-"+tc.ask {
			t.Errorf("%s: header metadata %v", tc.ask, h)
		}
		sums := summaries(t, s.log, 1)
		if len(sums) != 1 || sums[0].Method != "/test.Echo/Stream" || sums[0].Code != int(tc.code) || sums[0].RID != "stream-"+tc.ask {
			t.Errorf("%s: summaries %+v", tc.ask, sums)
		}
	}
}

// dockerflow.AddFields from a unary and a streaming handler: the fields
// join the call's summary, a key of the summary's own prefixed.
func TestAddFieldsOnRPC(t *testing.T) {
	s := newServer(t, dockerflow.Config{}, withEcho)
	for _, method := range []string{"/test.Echo/Say", "/test.Echo/Stream"} {
		s.log.Reset()
		var err error
		if method == "/test.Echo/Say" {
			err = s.conn.Invoke(ctx(t), method, wrapperspb.String("wide"), new(wrapperspb.StringValue))
		} else {
			var cs grpc.ClientStream
			if cs, err = s.conn.NewStream(ctx(t), &grpc.StreamDesc{ServerStreams: true}, method); err == nil {
				if err = cs.SendMsg(wrapperspb.String("wide")); err == nil {
					_ = cs.CloseSend()
					for err == nil {
						err = cs.RecvMsg(new(wrapperspb.StringValue))
					}
					if err == io.EOF {
						err = nil
					}
				}
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		sum := summaries(t, s.log, 1)[0]
		got := map[string]any{}
		for _, a := range sum.AppendAttrs(nil) {
			got[a.Key] = a.Value.Any()
		}
		if got["plan"] != "pro" || got["app.status"] != int64(1) || got["status"] != "OK" {
			t.Errorf("%s: summary fields %v", method, got)
		}
	}
}
