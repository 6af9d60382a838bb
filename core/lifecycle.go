package dockerflow

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// The states of a Service: starting (only with Config.WaitForReady), until
// Ready; serving; draining, from Drain (Run calls it on SIGTERM); stopped,
// once Run stops the servers or Close is called.
const (
	stateStarting int32 = iota
	stateServing
	stateDraining
	stateStopped
)

// Message IDs of the heartbeat entry ("dockerflow") that says what state
// the service is in, when it is not serving.
const (
	// idStarting: the service waits for Ready (Config.WaitForReady).
	idStarting = "dockerflow.lifecycle.E001"
	// idDraining: the service is draining before it stops.
	idDraining = "dockerflow.lifecycle.E002"
)

// lifecycleCheck is the name of the heartbeat entry of the state; no
// check may take it.
const lifecycleCheck = "dockerflow"

// lifecycle holds a Service's state and the channels adapters wait on.
type lifecycle struct {
	state    atomic.Int32
	draining chan struct{} // closed when draining begins
	stopped  chan struct{} // closed when stopping begins
	drainOne sync.Once
	stopOne  sync.Once

	mu          sync.Mutex // guards the derived report below
	base, added *Report    // the last report, and it with the state's entry
	addedState  int32
}

func newLifecycle(waitForReady bool) *lifecycle {
	l := &lifecycle{draining: make(chan struct{}), stopped: make(chan struct{})}
	if !waitForReady {
		l.state.Store(stateServing)
	}
	return l
}

// Ready marks the service ready: with Config.WaitForReady, /__heartbeat__
// fails with a "starting" entry (dockerflow.lifecycle.E001) until Ready is called, after
// migrations or a cache warm-up, while /__lbheartbeat__ answers 200
// throughout (the process is alive). Without it, Ready does nothing.
func (s *Service) Ready() {
	s.life.state.CompareAndSwap(stateStarting, stateServing)
}

// Drain starts draining, as Run does on SIGTERM: /__lbheartbeat__
// answers 503, /__heartbeat__ fails with a "draining" entry (idDraining),
// the gRPC health server answers NOT_SERVING, and every other answer
// carries Connection: close, so that load balancers and clients go
// elsewhere while requests are still served. It cannot be undone.
func (s *Service) Drain() {
	for {
		st := s.life.state.Load()
		if st >= stateDraining {
			break
		}
		if s.life.state.CompareAndSwap(st, stateDraining) {
			break
		}
	}
	s.life.drainOne.Do(func() { close(s.life.draining) })
}

// stop marks the service stopped: the gRPC health server ends its Watch
// streams, so that a graceful stop does not wait on them.
func (s *Service) stop() {
	s.Drain()
	s.life.state.Store(stateStopped)
	s.life.stopOne.Do(func() { close(s.life.stopped) })
}

// isDraining reports whether the service drains or has stopped.
func (l *lifecycle) isDraining() bool { return l.state.Load() >= stateDraining }

// withState returns rep, or when the service is starting or draining, rep
// with the entry that says so, which fails the heartbeat. The derived
// report is made once per report and state.
func (s *Service) withState(rep *Report) *Report {
	st := s.life.state.Load()
	if st == stateServing {
		return rep
	}
	l := s.life
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.base == rep && l.addedState == st {
		return l.added
	}
	msg := Error(idDraining, "the service is draining: it stops once its requests in flight are done")
	if st == stateStarting {
		msg = Error(idStarting, "the service is starting: it is not ready yet")
	}
	checks := make([]CheckResult, 0, len(rep.Checks)+1)
	checks = append(checks, rep.Checks...)
	checks = append(checks, CheckResult{Name: lifecycleCheck, Level: LevelError, Messages: []Message{msg}})
	added := newReport(checks, rep.Time)
	added.gen = rep.gen
	added.body = added.render(s.cfg.HeartbeatShowDetails)
	l.base, l.added, l.addedState = rep, added, st
	return added
}

// lbDraining is /__lbheartbeat__'s answer while the service drains.
var lbDraining = &response{status: http.StatusServiceUnavailable}

// connClose is the Connection header of every answer while the service
// drains: the client reconnects, elsewhere.
var connClose = []string{"close"}

// lifecycleChannels are the channels package adapter hands out: closed
// when draining begins, and when stopping begins.
func (s *Service) lifecycleChannels() (draining, stopped <-chan struct{}) {
	return s.life.draining, s.life.stopped
}
