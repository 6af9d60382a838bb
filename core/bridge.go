package dockerflow

import (
	"context"
	"net/http"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/bridge"
)

// plumbing is a Service as package adapter uses it (bridge.Service): the
// methods an adapter needs, kept off the Service's own page.
type plumbing Service

var _ bridge.Service = (*plumbing)(nil)

func init() {
	bridge.Of = func(svc any) bridge.Service { return (*plumbing)(svc.(*Service)) }
}

func (p *plumbing) TrackRequest(r *http.Request, h http.Header) (*http.Request, bridge.Tracker) {
	return (*Service)(p).trackRequest(r, h)
}

func (p *plumbing) TrackCall(ctx context.Context, method string, md http.Header) (context.Context, bridge.CallTracker) {
	return (*Service)(p).trackCall(ctx, method, md)
}

func (p *plumbing) HeartbeatInterval() time.Duration { return (*Service)(p).heartbeatInterval() }

func (p *plumbing) Match(path string) uint8 { return uint8((*Service)(p).match(path)) }

func (p *plumbing) Respond(ctx context.Context, ep uint8, method string) (bridge.Response, error) {
	resp, err := (*Service)(p).respond(ctx, endpoint(ep), method)
	if resp == nil {
		return bridge.Response{}, err
	}
	return bridge.Response{Status: resp.status, ContentType: resp.contentType, Allow: resp.allow, Body: resp.body}, err
}

func (p *plumbing) ErrorEndpoint() bool { return p.cfg.EnableErrorEndpoint }

func (p *plumbing) RequestIDHeader() string { return p.ridHeader }

func (p *plumbing) ResetHeader(h http.Header) { resetHeader((*Service)(p), h) }

func (p *plumbing) Lifecycle() (draining, stopped <-chan struct{}) {
	return (*Service)(p).lifecycleChannels()
}

// ctxKey is where a request's context keeps its tracker (or a request ID
// alone, WithRequestID); package mozlog's loggers read it through bridge.
type ctxKey = bridge.ContextKey

// Open implements bridge.Tracked.
func (t *tracker) Open() (bridge.Tracker, bridge.CallTracker) {
	if t.ended.Load() {
		return nil, nil
	}
	if t.rpc {
		return nil, (*rpc)(t)
	}
	return t, nil
}

// TraceID implements bridge.Tracked.
func (t *tracker) TraceID() string { return t.sum.TraceID }

func (id requestIDOnly) RequestID() string                       { return string(id) }
func (requestIDOnly) TraceID() string                            { return "" }
func (requestIDOnly) Open() (bridge.Tracker, bridge.CallTracker) { return nil, nil }
