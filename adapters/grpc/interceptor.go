package dockerflowgrpc

import (
	"context"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

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
// INTERNAL. Where StatsHandler is installed too (ServerOptions does
// both), the stats handler logs the summary, with the status the client
// got, and the interceptor leaves it to it.
func UnaryServerInterceptor(svc *dockerflow.Service) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		c, byStats := adapter.CallTrackerFrom(ctx)
		if !byStats {
			ctx, c = track(ctx, svc, info.FullMethod)
		}
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
		if !byStats {
			done(c, clientStatus(ctx, err, time.Now(), time.Time{}))
		}
		return resp, err
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streaming calls:
// one summary when the stream ends.
func StreamServerInterceptor(svc *dockerflow.Service) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		ctx := ss.Context()
		c, byStats := adapter.CallTrackerFrom(ctx)
		if !byStats {
			ctx, c = track(ctx, svc, info.FullMethod)
		}
		if k, v := c.EchoHeader(); k != "" {
			_ = ss.SetHeader(metadata.Pairs(k, v))
		}
		defer func() {
			if v := recover(); v != nil {
				c.Panicked(int(codes.Internal), codeNames[codes.Internal], v)
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		if byStats {
			err = handler(srv, ss) // its context carries the request ID already
			return err
		}
		err = handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
		done(c, clientStatus(ctx, err, time.Now(), time.Time{}))
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

// done logs the summary of a call whose client got st.
func done(c adapter.CallTracker, st *status.Status) {
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
