package dockerflowgrpc

import (
	"context"
	"sync/atomic"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
)

// StatsHandler returns a grpc stats handler (grpc.StatsHandler) that logs
// one request.summary for every RPC the server receives, those to
// unknown methods included (grpc-go runs no interceptor for them), with
// the status the client got: a call that ran past its deadline is
// DEADLINE_EXCEEDED however its handler returned (but for a failure of
// the server's own, logged as such with its message), and one whose
// connection closed first (the server stopped) is UNAVAILABLE. With it
// installed, the interceptors only give handlers the request ID and
// recover panics. ServerOptions installs it.
func StatsHandler(svc *dockerflow.Service) stats.Handler { return &statsHandler{svc: svc} }

type statsHandler struct{ svc *dockerflow.Service }

// connKey holds, in a connection's context, when it ended (Unix
// nanoseconds), 0 while it is open.
type connKey struct{}

func (h *statsHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return context.WithValue(ctx, connKey{}, new(atomic.Int64))
}

func (h *statsHandler) HandleConn(ctx context.Context, s stats.ConnStats) {
	if _, ok := s.(*stats.ConnEnd); ok {
		if ended, ok := ctx.Value(connKey{}).(*atomic.Int64); ok {
			ended.Store(time.Now().UnixNano())
		}
	}
}

// begunKey holds, in an RPC's context, whether grpc-go began to process
// it (stats.Begin): it does not for a method it does not know, which it
// answers UNIMPLEMENTED with no End event, only the trailer.
type begunKey struct{}

func (h *statsHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	ctx, _ = track(ctx, h.svc, info.FullMethodName)
	return context.WithValue(ctx, begunKey{}, new(atomic.Bool))
}

func (h *statsHandler) HandleRPC(ctx context.Context, s stats.RPCStats) {
	if s.IsClient() {
		return
	}
	switch s := s.(type) {
	case *stats.Begin:
		if begun, ok := ctx.Value(begunKey{}).(*atomic.Bool); ok {
			begun.Store(true)
		}
	case *stats.OutTrailer:
		if begun, ok := ctx.Value(begunKey{}).(*atomic.Bool); ok && !begun.Load() {
			if c := h.svc.Adapter().Tracker(ctx); c != nil {
				done(c, status.New(codes.Unimplemented, "unknown method"))
			}
		}
	case *stats.End:
		c := h.svc.Adapter().Tracker(ctx)
		if c == nil {
			return // logged already: the handler panicked
		}
		var connEnd time.Time
		if ended, ok := ctx.Value(connKey{}).(*atomic.Int64); ok && ended.Load() != 0 {
			connEnd = time.Unix(0, ended.Load())
		}
		done(c, clientStatus(ctx, s.Error, s.EndTime, connEnd))
	}
}

// deadlineSkew bounds how far ahead of the server's deadline the client's
// may fire: the time the request took to arrive, and the rounding of
// grpc-timeout.
const deadlineSkew = 100 * time.Millisecond

// clientStatus is the status the client got for a call that ended with
// err at time at, on a connection that ended at connEnd (zero while it is
// open): what err says, unless the client's own deadline fired first
// (DEADLINE_EXCEEDED, though the handler may have returned OK or another
// status after it, seen its context CANCELLED when the client reset the
// stream, or failed to send on the connection the client closed then),
// or the connection closed under the call (UNAVAILABLE). A failure of the
// server's own (UNKNOWN, INTERNAL, DATA_LOSS) stays what it is, to be
// logged as one.
func clientStatus(ctx context.Context, err error, at, connEnd time.Time) *status.Status {
	st, ok := status.FromError(err) // nil is OK
	if !ok {
		// grpc-go answers an error without a status by its context error
		// (CANCELLED, DEADLINE_EXCEEDED), or as UNKNOWN.
		st = status.FromContextError(err)
	}
	deadline, hasDeadline := ctx.Deadline()
	// The client's deadline fires a little before the server's copy of
	// it (taken from grpc-timeout once the request has travelled): a
	// reset, or the connection's end, that close to the deadline is the
	// client giving up on it.
	if hasDeadline && !connEnd.IsZero() && deadline.Sub(connEnd) < deadlineSkew {
		return status.New(codes.DeadlineExceeded, "the call's deadline passed")
	}
	if serverFault(st.Code()) {
		return st // logged as the server's failure (done), whenever it ended
	}
	// Whatever ended the call after the deadline (the handler's status,
	// or UNAVAILABLE from a send on the connection the client closed,
	// which may be seen before the connection's end) came too late for
	// its client.
	if hasDeadline && !at.Before(deadline) {
		return status.New(codes.DeadlineExceeded, "the call's deadline passed")
	}
	switch st.Code() {
	case codes.OK, codes.Canceled, codes.DeadlineExceeded:
		if st.Code() == codes.Canceled && hasDeadline && deadline.Sub(at) < deadlineSkew {
			return status.New(codes.DeadlineExceeded, "the call's deadline passed")
		}
		if !connEnd.IsZero() {
			return status.New(codes.Unavailable, "the connection closed before the call ended")
		}
	}
	return st
}
