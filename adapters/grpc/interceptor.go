package dockerflowgrpc

import (
	"context"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// UnaryServerInterceptor returns an interceptor that gives every unary
// call a request ID (dockerflow.RequestID on the handler's context) and
// logs its request.summary; it recovers a panicking handler, answering
// INTERNAL.
func UnaryServerInterceptor(svc *dockerflow.Service) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		ctx, c := track(ctx, svc, info.FullMethod)
		if k, v := c.EchoHeader(); k != "" {
			_ = grpc.SetHeader(ctx, metadata.Pairs(k, v))
		}
		defer func() {
			if v := recover(); v != nil {
				c.Panicked(int(codes.Internal), codeNames[codes.Internal], v)
				resp, err = nil, status.Error(codes.Internal, "internal error")
			}
		}()
		resp, err = handler(ctx, req)
		end(c, err)
		return resp, err
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streaming calls:
// one summary when the stream ends.
func StreamServerInterceptor(svc *dockerflow.Service) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		ctx, c := track(ss.Context(), svc, info.FullMethod)
		if k, v := c.EchoHeader(); k != "" {
			_ = ss.SetHeader(metadata.Pairs(k, v))
		}
		defer func() {
			if v := recover(); v != nil {
				c.Panicked(int(codes.Internal), codeNames[codes.Internal], v)
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		err = handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
		end(c, err)
		return err
	}
}

// serverStream gives the handler the context carrying the request ID.
type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }

// track starts the call's summary from its incoming metadata, as HTTP
// headers: x-request-id, traceparent, user-agent and the rest (binary
// -bin values and pseudo-headers left out).
func track(ctx context.Context, svc *dockerflow.Service, method string) (context.Context, adapter.CallTracker) {
	md, _ := metadata.FromIncomingContext(ctx)
	h := make(http.Header, len(md))
	for k, v := range md {
		if strings.HasPrefix(k, ":") || strings.HasSuffix(k, "-bin") {
			continue
		}
		h[textproto.CanonicalMIMEHeaderKey(k)] = v
	}
	return adapter.TrackCall(ctx, svc, method, h)
}

// end logs the summary of a call that returned err.
func end(c adapter.CallTracker, err error) {
	// What the client gets: grpc-go answers an error without a status
	// by its context error (CANCELLED, DEADLINE_EXCEEDED) or as UNKNOWN.
	st, ok := status.FromError(err) // nil is OK
	if !ok {
		st = status.FromContextError(err)
	}
	code := st.Code()
	failure := ""
	switch code {
	case codes.Unknown, codes.Internal, codes.DataLoss:
		failure = st.Message() // the server's fault, as a 5xx is
	}
	c.Done(int(code), codeName(code), failure)
}

// codeNames are the status codes' names as the gRPC specification writes
// them (doc/statuscodes.md).
var codeNames = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN", codes.InvalidArgument: "INVALID_ARGUMENT",
	codes.DeadlineExceeded: "DEADLINE_EXCEEDED", codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED", codes.OutOfRange: "OUT_OF_RANGE",
	codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE",
	codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
}

func codeName(c codes.Code) string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return "CODE_" + strconv.Itoa(int(c))
}
