package dockerflow

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// checkEntry is a registered check with its resolved timeout.
type checkEntry struct {
	Check
	timeout time.Duration
	// stuck counts calls of the function that outlived their timeout and
	// have not returned yet. While there is one, the check is not started
	// again: a function that ignores its context costs one goroutine, not
	// one per heartbeat.
	stuck atomic.Int32
}

// run is one execution of every check, shared by all who wait for it.
type run struct {
	done    chan struct{} // closed when report is set
	report  *Report
	waiters int // guarded by runner.mu
	cancel  context.CancelFunc
	gen     uint64 // the check set it runs
}

// runner decides, for each heartbeat, whether to answer from the last
// report, join the run under way, or start a new one.
type runner struct {
	exec func(ctx context.Context, checks []*checkEntry) *Report
	ttl  time.Duration // reuse a report this long (0: never)
	// background: a loop runs the checks; requests read the last report.
	background bool

	mu       sync.Mutex
	checks   []*checkEntry // replaced, never modified, so a run can keep its copy
	gen      uint64        // counts changes of checks; a report of an older set is stale
	inflight *run
	last     *Report

	runs     sync.WaitGroup // run goroutines
	stopLoop context.CancelFunc
	loopDone chan struct{}
}

// add validates checks against the registered ones and appends them, all
// or none; runs already under way keep the set they started with.
func (r *runner) add(checks []Check, defaultTimeout time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := validateChecks(r.checks, checks); err != nil {
		return err
	}
	next := make([]*checkEntry, 0, len(r.checks)+len(checks))
	next = append(next, r.checks...)
	for _, c := range checks {
		e := &checkEntry{Check: c, timeout: c.Timeout}
		if e.timeout == 0 {
			e.timeout = defaultTimeout
		}
		next = append(next, e)
	}
	r.checks = next
	r.gen++
	return nil
}

// report returns a current report: the cached one, the one of the run
// under way, or the one of a new run. It returns ctx's error if ctx ends
// first; the run goes on for the others waiting on it, and is cancelled
// when nobody is left waiting.
func (r *runner) report(ctx context.Context) (*Report, error) {
	r.mu.Lock()
	if rep := r.last; rep != nil && rep.gen == r.gen && (r.background || (r.ttl > 0 && time.Since(rep.Time) < r.ttl)) {
		r.mu.Unlock()
		return rep, nil
	}
	ru := r.join(ctx)
	r.mu.Unlock()
	return r.wait(ctx, ru)
}

// join returns the run under way, or starts one, and counts the caller as
// one of its waiters. A run of an older check set is not joined. r.mu must
// be held.
func (r *runner) join(ctx context.Context) *run {
	ru := r.inflight
	if ru == nil || ru.gen != r.gen {
		// The run keeps the values of the context that started it (a request
		// ID reaches the logs) but not its cancellation: others may join.
		rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		ru = &run{done: make(chan struct{}), cancel: cancel, gen: r.gen}
		r.inflight = ru
		checks := r.checks
		r.runs.Add(1)
		go func() {
			defer r.runs.Done()
			rep := r.exec(rctx, checks)
			rep.gen = ru.gen
			abandoned := rctx.Err() != nil
			cancel()
			r.mu.Lock()
			if r.inflight == ru {
				r.inflight = nil
			}
			if !abandoned && ru.gen == r.gen {
				r.last = rep
			}
			r.mu.Unlock()
			ru.report = rep
			close(ru.done)
		}()
	}
	ru.waiters++
	return ru
}

func (r *runner) wait(ctx context.Context, ru *run) (*Report, error) {
	select {
	case <-ru.done:
		return ru.report, nil
	case <-ctx.Done():
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ru.waiters--
	select {
	case <-ru.done: // finished meanwhile: use it
		return ru.report, nil
	default:
	}
	if ru.waiters == 0 {
		// Nobody wants this run any more: stop it, and let the next
		// heartbeat start afresh rather than join a cancelled run.
		ru.cancel()
		if r.inflight == ru {
			r.inflight = nil
		}
	}
	return nil, ctx.Err()
}

// latest returns the last completed report, if any.
func (r *runner) latest() (*Report, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last, r.last != nil
}

// startLoop runs the checks now and then every interval, until close.
func (r *runner) startLoop(interval time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	r.stopLoop = cancel
	r.loopDone = make(chan struct{})
	r.mu.Lock()
	ru := r.join(ctx) // the first run is in flight before New returns
	r.mu.Unlock()
	go func() {
		defer close(r.loopDone)
		for {
			if _, err := r.wait(ctx, ru); err != nil {
				return
			}
			t := time.NewTimer(interval)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			r.mu.Lock()
			ru = r.join(ctx)
			r.mu.Unlock()
		}
	}()
}

// close stops the background loop, if any, and waits for runs under way.
func (r *runner) close() {
	if r.stopLoop != nil {
		r.stopLoop()
		<-r.loopDone
	}
	r.runs.Wait()
}
