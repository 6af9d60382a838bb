package dockerflowgrpc

import (
	"context"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
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
		c := svc.Adapter().Tracker(ctx)
		byStats := c != nil
		if !byStats {
			ctx, c = track(ctx, svc, info.FullMethod)
		}
		if k := echoKey(svc); k != "" {
			_ = grpc.SetHeader(ctx, metadata.Pairs(k, dockerflow.RequestID(ctx)))
		}
		defer func() {
			if v := recover(); v != nil {
				c.Panicked(int(codes.Internal), v)
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
		c := svc.Adapter().Tracker(ctx)
		byStats := c != nil
		if !byStats {
			ctx, c = track(ctx, svc, info.FullMethod)
		}
		if k := echoKey(svc); k != "" {
			_ = ss.SetHeader(metadata.Pairs(k, dockerflow.RequestID(ctx)))
		}
		defer func() {
			if v := recover(); v != nil {
				c.Panicked(int(codes.Internal), v)
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
func track(ctx context.Context, svc *dockerflow.Service, method string) (context.Context, *dockerflow.Tracker) {
	return svc.Adapter().TrackCall(ctx, method, incomingHeader(ctx))
}

// incomingHeader is the call's incoming metadata as HTTP headers, with
// canonical keys (binary -bin values and pseudo-headers left out).
func incomingHeader(ctx context.Context) http.Header {
	md, _ := metadata.FromIncomingContext(ctx)
	h := make(http.Header, len(md))
	for k, v := range md {
		if strings.HasPrefix(k, ":") || strings.HasSuffix(k, "-bin") {
			continue
		}
		h[textproto.CanonicalMIMEHeaderKey(k)] = v
	}
	return h
}

// echoKey is the metadata key (lower case) that sends the request ID back
// to the client, "" when svc does not echo it.
func echoKey(svc *dockerflow.Service) string {
	cfg := svc.Adapter().Config()
	if cfg.DisableRequestIDEcho {
		return ""
	}
	return strings.ToLower(cfg.RequestIDHeader)
}

// done logs the summary of a call whose client got st.
func done(c *dockerflow.Tracker, st *status.Status) {
	if msg := st.Message(); serverFault(st.Code()) && msg != "" {
		c.Failed(int(st.Code()), msg) // the server's fault, as a 5xx is
		return
	}
	c.Done(int(st.Code()))
}

// serverFault reports whether code says the server failed (UNKNOWN,
// INTERNAL, DATA_LOSS), as a 5xx does: such a call is logged as a
// failure, with its message.
func serverFault(code codes.Code) bool {
	return code == codes.Unknown || code == codes.Internal || code == codes.DataLoss
}
