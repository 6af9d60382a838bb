// Command grpc is the example service speaking gRPC: grpc.health.v1
// backed by the shared check set (as Kubernetes' gRPC probes and
// grpc-health-probe ask it), a small Notes RPC, and one request.summary
// per call, on $GRPC_PORT (9000); the Dockerflow HTTP endpoints and the
// status page on $PORT (8000), as the other examples serve them.
//
//	go run ./examples/grpc
//	grpc-health-probe -addr=localhost:9000                 # SERVING, exit 0
//	grpc-health-probe -addr=localhost:9000 -service=redis  # one check
package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"

	dockerflowgrpc "github.com/dockerflow-go/dockerflow/adapters/grpc"
	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/examples/platform"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
	"github.com/sirupsen/logrus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/grpclog"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func main() {
	os.Exit(platform.MainWith("example-grpc", httpHandler, grpcServer))
}

// httpHandler serves the Dockerflow endpoints and the status page.
func httpHandler(s *platform.Service) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.Web.Home())
	mux.Handle("GET "+web.Prefix, s.Web.Static())
	return dockerflowhttp.Wrap(s.Dockerflow, mux)
}

// grpcServer is the gRPC server, run beside the HTTP one: on SIGTERM its
// health service answers NOT_SERVING for the drain delay, then its Watch
// streams end and it stops gracefully (dockerflowgrpc.Server).
func grpcServer(s *platform.Service) (dockerflow.Server, error) {
	// grpc-go's own warnings and errors into mozlog; its info lines are
	// noise.
	grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, s.Log.WriterLevel(logrus.WarnLevel), s.Log.WriterLevel(logrus.ErrorLevel)))
	addr, err := grpcAddr()
	if err != nil {
		return nil, err
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	// The summaries (every call's, unknown methods included), request IDs,
	// panics, and limits on idle connections and streams per connection.
	srv := grpc.NewServer(dockerflowgrpc.ServerOptions(s.Dockerflow)...)
	dockerflowgrpc.Register(srv, s.Dockerflow)
	srv.RegisterService(&notesService, &notes{store: s.Store})
	s.Log.WithField("addr", addr).Info("serving gRPC")
	return dockerflowgrpc.Server(srv, lis), nil
}

// grpcAddr is ":$GRPC_PORT", :9000 by default.
func grpcAddr() (string, error) {
	v := os.Getenv("GRPC_PORT")
	if v == "" {
		return ":9000", nil
	}
	if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
		return "", &dockerflow.EnvError{Name: "GRPC_PORT", Value: v, Want: "a port number from 1 to 65535"}
	}
	return ":" + v, nil
}

// notes serves notes.v1.Notes/Get: a note's body by name. Its messages
// are protobuf's well-known StringValue, so that no generated code is
// needed: the service description below is what protoc-gen-go-grpc would
// write for
//
//	service Notes { rpc Get(google.protobuf.StringValue) returns (google.protobuf.StringValue); }
type notes struct{ store *platform.Store }

func (n *notes) get(ctx context.Context, name string) (*wrapperspb.StringValue, error) {
	code, v := n.store.GetNote(ctx, name)
	switch note, ok := v.(platform.Note); {
	case ok:
		return wrapperspb.String(note.Body), nil
	case code == http.StatusNotFound:
		return nil, status.Errorf(codes.NotFound, "no note named %q", name)
	case code == http.StatusServiceUnavailable:
		return nil, status.Error(codes.Unavailable, "database unavailable")
	default:
		return nil, errors.New("reading the note failed") // UNKNOWN, logged at error level
	}
}

var notesService = grpc.ServiceDesc{
	ServiceName: "notes.v1.Notes",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Get",
		Handler: func(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			get := func(ctx context.Context, req any) (any, error) {
				return srv.(*notes).get(ctx, req.(*wrapperspb.StringValue).GetValue())
			}
			if ic == nil {
				return get(ctx, in)
			}
			return ic(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/notes.v1.Notes/Get"}, get)
		},
	}},
	Metadata: "notes.proto",
}
