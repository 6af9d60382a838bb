package dockerflowgrpc

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// LBHeartbeatService is the service name that answers SERVING while the
// process serves, without running any check, as /__lbheartbeat__ does:
// the name for a liveness probe, which must not fail (and restart the
// pod) when a backend does.
const LBHeartbeatService = "__lbheartbeat__"

// DefaultPollInterval is how often Watch looks at the heartbeat when the
// service runs no background checks (Config.HeartbeatInterval).
const DefaultPollInterval = 5 * time.Second

// HealthServer is a grpc.health.v1 Health server backed by a Dockerflow
// service's heartbeat.
type HealthServer struct {
	svc  *dockerflow.Service
	poll time.Duration
	// draining and stopped are the service's (Adapter.Lifecycle): NOT_SERVING from the first, Watch streams ended
	// at the second.
	draining, stopped <-chan struct{}

	mu       sync.Mutex
	down     bool               // Shutdown was called
	latest   *dockerflow.Report // the poller's last report; nil before its first
	changed  chan struct{}      // closed, then replaced, when latest or down change
	watchers int
	pollGen  uint64             // the running poller's; an older one publishes nothing
	stopPoll context.CancelFunc // stops the running poller
}

var _ healthpb.HealthServer = (*HealthServer)(nil)

// Option configures a HealthServer.
type Option func(*HealthServer)

// WithPollInterval sets how often Watch runs (or joins) a heartbeat while
// anyone watches: one poller for all watchers. The default is the
// service's HeartbeatInterval when it runs checks in the background (its
// reports come from that loop, so polling costs no check), else
// DefaultPollInterval. Zero or less keeps the default.
func WithPollInterval(d time.Duration) Option {
	return func(h *HealthServer) {
		if d > 0 {
			h.poll = d
		}
	}
}

// newHealthServer returns a Health server answering from svc's heartbeat.
func newHealthServer(svc *dockerflow.Service, opts ...Option) *HealthServer {
	kit := svc.Adapter()
	h := &HealthServer{svc: svc, poll: DefaultPollInterval, changed: make(chan struct{})}
	h.draining, h.stopped = kit.Lifecycle()
	if d := kit.Config().HeartbeatInterval; d > 0 {
		h.poll = d
	}
	for _, opt := range opts {
		opt(h)
	}
	return h
}

// Register serves svc's heartbeat as grpc.health.v1 on s, and returns the
// server, for Shutdown.
func Register(s grpc.ServiceRegistrar, svc *dockerflow.Service, opts ...Option) *HealthServer {
	h := newHealthServer(svc, opts...)
	healthpb.RegisterHealthServer(s, h)
	return h
}

// Shutdown makes every answer NOT_SERVING from now on, tells every
// watcher, and ends the Watch streams, so that grpc.Server.GracefulStop
// does not wait on them. Service.Run needs none of it: the server answers
// NOT_SERVING for every service name, __lbheartbeat__ included, from the
// moment the service drains (SIGTERM), and ends the Watch streams when it
// stops.
func (h *HealthServer) Shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down {
		h.down = true
		h.notify()
	}
}

// Check answers the serving status of service: "" for the whole
// heartbeat, a check's name, or LBHeartbeatService (SERVING at once, no
// check run). ctx's deadline bounds the wait for a report, not the run.
func (h *HealthServer) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if h.isDown() {
		return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_NOT_SERVING}, nil
	}
	if req.GetService() == LBHeartbeatService {
		return &healthpb.HealthCheckResponse{Status: h.liveness()}, nil
	}
	rep, err := h.svc.Heartbeat(ctx)
	if err != nil {
		return nil, status.FromContextError(err).Err()
	}
	st, known := servingStatus(rep, req.GetService())
	if !known {
		return nil, status.Errorf(codes.NotFound, "unknown service %.100q: the services are \"\" and the names of the checks", req.GetService())
	}
	return &healthpb.HealthCheckResponse{Status: st}, nil
}

// List answers the status of "" and of LBHeartbeatService, and of every
// check to the callers that may see the heartbeat's details (the
// service's details policy: Config.HeartbeatDetailsToken as
// "authorization: Bearer <token>" metadata, HeartbeatDetailsAllowed):
// check names tell what the service depends on.
func (h *HealthServer) List(ctx context.Context, _ *healthpb.HealthListRequest) (*healthpb.HealthListResponse, error) {
	rep, err := h.svc.Heartbeat(ctx)
	if err != nil {
		return nil, status.FromContextError(err).Err()
	}
	down := h.isDown()
	statuses := make(map[string]*healthpb.HealthCheckResponse, len(rep.Checks)+2)
	add := func(name string, level dockerflow.Level) {
		st := servingOf(level)
		if down {
			st = healthpb.HealthCheckResponse_NOT_SERVING
		}
		statuses[name] = &healthpb.HealthCheckResponse{Status: st}
	}
	add("", rep.Level)
	if h.svc.Adapter().ShowsDetails(callRequest(ctx)) {
		for _, c := range rep.Checks {
			add(c.Name, c.Level)
		}
	}
	lb := h.liveness()
	if down {
		lb = healthpb.HealthCheckResponse_NOT_SERVING
	}
	statuses[LBHeartbeatService] = &healthpb.HealthCheckResponse{Status: lb}
	return &healthpb.HealthListResponse{Statuses: statuses}, nil
}

// Watch sends the serving status of the request's service at once, then
// every change, until the caller goes away or the service stops. A name no
// check has is SERVICE_UNKNOWN, and the call goes on: a check registered
// later is reported when it is. LBHeartbeatService is SERVING until the
// service drains.
func (h *HealthServer) Watch(req *healthpb.HealthCheckRequest, stream grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	ctx := stream.Context()
	lb := req.GetService() == LBHeartbeatService
	var tick <-chan time.Time
	if lb {
		// Liveness runs no check: it looks at the broken mark every poll.
		t := time.NewTicker(h.poll)
		defer t.Stop()
		tick = t.C
	} else {
		h.subscribe()
		defer h.unsubscribe()
	}
	sent := false
	var last healthpb.HealthCheckResponse_ServingStatus
	for {
		h.mu.Lock()
		rep, down, changed := h.latest, h.down, h.changed
		h.mu.Unlock()
		draining, stopped := isClosed(h.draining), down || isClosed(h.stopped)
		st, have := healthpb.HealthCheckResponse_NOT_SERVING, true
		switch {
		case draining || stopped:
		case lb:
			st = h.liveness()
		case rep != nil:
			st, _ = servingStatus(rep, req.GetService())
		default:
			have = false // no report yet
		}
		if have && (!sent || st != last) {
			if err := stream.Send(&healthpb.HealthCheckResponse{Status: st}); err != nil {
				return err
			}
			sent, last = true, st
		}
		if stopped {
			return status.Error(codes.Unavailable, "the server is stopping")
		}
		wake := h.draining
		if draining {
			wake = nil // told already
		}
		select {
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		case <-changed:
		case <-tick:
		case <-wake:
		case <-h.stopped:
		}
	}
}

// liveness is LBHeartbeatService's status, as /__lbheartbeat__ answers:
// NOT_SERVING while the service drains or is broken (Service.Broken).
func (h *HealthServer) liveness() healthpb.HealthCheckResponse_ServingStatus {
	if h.svc.Adapter().Alive() {
		return healthpb.HealthCheckResponse_SERVING
	}
	return healthpb.HealthCheckResponse_NOT_SERVING
}

// callRequest is the request the details policy judges a call by: its
// metadata as Header, the peer's address as RemoteAddr.
func callRequest(ctx context.Context) *http.Request {
	r := (&http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/grpc.health.v1.Health/List"}, Header: incomingHeader(ctx)}).WithContext(ctx)
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		r.RemoteAddr = p.Addr.String()
	}
	return r
}

// isDown reports whether every answer is NOT_SERVING: Shutdown was
// called, or the service drains.
func (h *HealthServer) isDown() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down || isClosed(h.draining)
}

// isClosed reports whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// notify wakes every watcher. h.mu must be held.
func (h *HealthServer) notify() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// subscribe counts a watcher in, starting the poller for the first.
func (h *HealthServer) subscribe() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.watchers++
	if h.watchers > 1 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.pollGen++
	h.stopPoll = cancel
	go h.pollLoop(ctx, h.pollGen)
}

// unsubscribe counts a watcher out, stopping the poller after the last:
// the next watcher waits for a fresh report rather than a stale one.
func (h *HealthServer) unsubscribe() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.watchers--
	if h.watchers == 0 {
		h.stopPoll()
		h.pollGen++ // a report it is still getting is not published
		h.latest = nil
	}
}

// pollLoop publishes a heartbeat report now and every poll interval until
// ctx ends.
func (h *HealthServer) pollLoop(ctx context.Context, gen uint64) {
	tick := time.NewTicker(h.poll)
	defer tick.Stop()
	for {
		rep, err := h.svc.Heartbeat(ctx)
		if err != nil {
			return // ctx ended: no one watches
		}
		h.mu.Lock()
		if h.pollGen != gen {
			h.mu.Unlock()
			return
		}
		h.latest = rep
		h.notify()
		h.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// servingStatus is the status of service in rep: "" is the heartbeat's,
// else the check of that name's; known is false for other names.
func servingStatus(rep *dockerflow.Report, service string) (st healthpb.HealthCheckResponse_ServingStatus, known bool) {
	if service == "" {
		return servingOf(rep.Level), true
	}
	for _, c := range rep.Checks {
		if c.Name == service {
			return servingOf(c.Level), true
		}
	}
	return healthpb.HealthCheckResponse_SERVICE_UNKNOWN, false
}

// servingOf is the serving status of a level: NOT_SERVING when it fails
// a heartbeat (error and above).
func servingOf(level dockerflow.Level) healthpb.HealthCheckResponse_ServingStatus {
	if level.Failed() {
		return healthpb.HealthCheckResponse_NOT_SERVING
	}
	return healthpb.HealthCheckResponse_SERVING
}
