package dockerflowgrpc

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// clientStatus, on the orders of events a loaded machine gives: the
// status a client whose deadline passed got is DEADLINE_EXCEEDED,
// whatever ended the call after it (a send failing UNAVAILABLE on the
// connection the client closed, seen before the connection's end, made
// TestDeadlineThenConnectionClosed fail under load); a failure of the
// server's own stays one; before the deadline, a status is the handler's.
func TestClientStatus(t *testing.T) {
	deadline := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	after, before := deadline.Add(20*time.Millisecond), deadline.Add(-time.Second)
	for _, tc := range []struct {
		name    string
		err     error
		at      time.Time
		connEnd time.Time
		want    codes.Code
	}{
		{"a failed send after the deadline, the connection's end not seen yet", status.Error(codes.Unavailable, "transport is closing"), after, time.Time{}, codes.DeadlineExceeded},
		{"a failed send after the deadline, the connection ended just before it", status.Error(codes.Unavailable, "transport is closing"), after, deadline.Add(-5 * time.Millisecond), codes.DeadlineExceeded},
		{"NOT_FOUND after the deadline", status.Error(codes.NotFound, "no such user"), after, time.Time{}, codes.DeadlineExceeded},
		{"OK after the deadline", nil, after, time.Time{}, codes.DeadlineExceeded},
		{"INTERNAL after the deadline", status.Error(codes.Internal, "db corrupt"), after, time.Time{}, codes.Internal},
		{"the handler's UNAVAILABLE before the deadline", status.Error(codes.Unavailable, "db down"), before, time.Time{}, codes.Unavailable},
		{"NOT_FOUND before the deadline", status.Error(codes.NotFound, "no such user"), before, time.Time{}, codes.NotFound},
		{"OK on a connection the server closed long before the deadline", nil, before, before, codes.Unavailable},
	} {
		if got := clientStatus(ctx, tc.err, tc.at, tc.connEnd).Code(); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := clientStatus(context.Background(), status.Error(codes.Unavailable, "db down"), after, time.Time{}).Code(); got != codes.Unavailable {
		t.Errorf("no deadline: %v, want UNAVAILABLE", got)
	}
}
