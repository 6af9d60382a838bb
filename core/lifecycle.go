package dockerflow

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
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
	// idBroken: the application said the process is broken (Broken).
	idBroken = "dockerflow.lifecycle.E003"
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

	// lb is /__lbheartbeat__'s answer, the one load its path makes: 200,
	// 503 while draining, 500 while broken; lbMu orders its updates.
	lb     atomic.Pointer[response]
	lbMu   sync.Mutex
	broken atomic.Pointer[string] // why the process is broken (redacted); nil when it is not

	mu          sync.Mutex // guards the derived report below
	base, added *Report    // the last report, and it with the state's entry
	addedState  int32
	addedBroken *string
}

func newLifecycle(waitForReady bool) *lifecycle {
	l := &lifecycle{draining: make(chan struct{}), stopped: make(chan struct{})}
	if !waitForReady {
		l.state.Store(stateServing)
	}
	l.lb.Store(lbResponse)
	return l
}

// refreshLB sets /__lbheartbeat__'s answer from the state and the broken
// mark: draining (503) before broken (500), the process going away
// either way.
func (l *lifecycle) refreshLB() {
	l.lbMu.Lock()
	defer l.lbMu.Unlock()
	switch {
	case l.isDraining():
		l.lb.Store(lbDraining)
	case l.broken.Load() != nil:
		l.lb.Store(lbBroken)
	default:
		l.lb.Store(lbResponse)
	}
}

// Broken marks the process broken, for a failure only the application
// can see (a pool exhausted for minutes, a deadlocked worker, a poisoned
// cache): /__lbheartbeat__ answers 500, so that a liveness probe
// restarts the process; /__heartbeat__ fails with a "dockerflow" entry
// (dockerflow.lifecycle.E003) giving reason, redacted; a gRPC health
// server answers NOT_SERVING. It is logged once, at error level, each
// time the reason changes. Broken("") clears the mark, and logs that.
// Safe to call from any goroutine, as often as wanted.
func (s *Service) Broken(reason string) {
	if reason == "" {
		s.clearBroken(nil)
		return
	}
	s.markBroken(reason, false)
}

// markBroken marks the service broken for reason (not empty), redacted,
// and returns the mark, for clearBroken. With ifClear (a check's
// deadman), it marks nothing while another mark is set, and returns nil.
func (s *Service) markBroken(reason string, ifClear bool) *string {
	r := capField(redact.Text(bounded(reason, maxMessageText), s.keys, nil), maxMessageText)
	mark := &r
	var prev *string
	if ifClear {
		if !s.life.broken.CompareAndSwap(nil, mark) {
			return nil
		}
	} else {
		prev = s.life.broken.Swap(mark)
	}
	s.life.refreshLB()
	if prev == nil || *prev != r {
		s.log.LogEvent(context.Background(), Event{Type: mozlog.TypeLifecycle, Level: LevelError,
			Msg: "the service is broken: " + r + "; /__lbheartbeat__ answers 500 until it is cleared"})
	}
	return mark
}

// clearBroken clears the broken mark: any (nil), or only mark, if it is
// still the one set (a check's deadman clears its own, not the
// application's).
func (s *Service) clearBroken(mark *string) {
	var prev *string
	if mark == nil {
		prev = s.life.broken.Swap(nil)
	} else if s.life.broken.CompareAndSwap(mark, nil) {
		prev = mark
	}
	if prev == nil {
		return
	}
	s.life.refreshLB()
	s.log.LogEvent(context.Background(), Event{Type: mozlog.TypeLifecycle, Level: LevelInfo,
		Msg: "the service is no longer broken (it was: " + *prev + ")"})
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
	s.life.refreshLB()
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

// withState returns rep, or when the service is starting, draining or
// broken, rep with the entry that says so, which fails the heartbeat. The derived
// report is made once per report and state.
func (s *Service) withState(rep *Report) *Report {
	st, broken := s.life.state.Load(), s.life.broken.Load()
	if st == stateServing && broken == nil {
		return rep
	}
	l := s.life
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.base == rep && l.addedState == st && l.addedBroken == broken {
		return l.added
	}
	var msgs []Message
	if broken != nil {
		msgs = append(msgs, Error(idBroken, "the service is broken: "+*broken))
	}
	switch st {
	case stateStarting:
		msgs = append(msgs, Error(idStarting, "the service is starting: it is not ready yet"))
	case stateDraining, stateStopped:
		msgs = append(msgs, Error(idDraining, "the service is draining: it stops once its requests in flight are done"))
	}
	checks := make([]CheckResult, 0, len(rep.Checks)+1)
	checks = append(checks, rep.Checks...)
	checks = append(checks, CheckResult{Name: lifecycleCheck, Level: LevelError, RawLevel: LevelError, Messages: msgs})
	added := newReport(checks, rep.Time)
	added.gen = rep.gen
	s.details.renderBodies(added)
	l.base, l.added, l.addedState, l.addedBroken = rep, added, st, broken
	return added
}

// lbDraining is /__lbheartbeat__'s answer while the service drains,
// lbBroken while it is broken (Broken).
var (
	lbDraining = &response{status: http.StatusServiceUnavailable}
	lbBroken   = &response{status: http.StatusInternalServerError}
)

// connClose is the Connection header of every answer while the service
// drains: the client reconnects, elsewhere.
var connClose = []string{"close"}

// lifecycleChannels are the channels package adapter hands out: closed
// when draining begins, and when stopping begins.
func (s *Service) lifecycleChannels() (draining, stopped <-chan struct{}) {
	return s.life.draining, s.life.stopped
}
