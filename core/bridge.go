package dockerflow

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/bridge"
)

// Package adapter, for adapter and logger authors, reaches the Service's
// plumbing through package bridge.
func init() {
	bridge.Track = func(svc any, r *http.Request, h http.Header) (*http.Request, any) {
		return svc.(*Service).trackRequest(r, h)
	}
	bridge.TrackCall = func(ctx context.Context, svc any, method string, md http.Header) (context.Context, any) {
		return svc.(*Service).trackCall(ctx, method, md)
	}
	bridge.HeartbeatInterval = func(svc any) time.Duration { return svc.(*Service).heartbeatInterval() }
	bridge.Match = func(svc any, path string) int { return int(svc.(*Service).match(path)) }
	bridge.Respond = func(svc any, ctx context.Context, ep int, method string) (int, string, string, []byte, error) {
		resp, err := svc.(*Service).respond(ctx, endpoint(ep), method)
		if resp == nil {
			return 0, "", "", nil, err
		}
		return resp.status, resp.contentType, resp.allow, resp.body, err
	}
	bridge.ErrorEndpoint = func(svc any) bool { return svc.(*Service).cfg.EnableErrorEndpoint }
	bridge.RequestIDHeader = func(svc any) string { return svc.(*Service).ridHeader }
	bridge.SummaryAttrs = func(s any, dst []slog.Attr) []slog.Attr { return s.(*Summary).appendAttrs(dst) }
	bridge.TraceID = traceIDOf
	bridge.SlogLevel = func(level int) slog.Level { return slogLevel(Level(level)) }
	bridge.TrackerFrom = func(ctx context.Context) (any, bool) {
		t, ok := ctx.Value(ctxKey{}).(*tracker)
		if !ok || t.ended.Load() {
			return nil, false
		}
		if t.rpc {
			return (*rpc)(t), true
		}
		return t, true
	}
	bridge.ResetHeader = func(svc any, h http.Header) {
		s, _ := svc.(*Service)
		resetHeader(s, h)
	}
}
