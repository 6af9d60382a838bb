package dockerflow

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// reuseWindow is how long the report of a run that nobody received (every
// heartbeat waiting for it gave up first) answers the next heartbeat,
// without a cache: a probe that retries just after its timeout is answered
// from the run it caused instead of starting the checks again. A report
// that was received is never reused without a cache, so answers stay
// fresh.
const reuseWindow = time.Second

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
	done   chan struct{} // closed when report is set
	report *Report
	gen    uint64 // the check set it runs
	joined int    // heartbeats that asked for it; guarded by runner.mu
	// received: a heartbeat got the report.
	received atomic.Bool
}

// runner decides, for each heartbeat, whether to answer from the last
// report, join the run under way, or start a new one. A run, once
// started, finishes on its checks' own timeouts whether or not anyone
// still waits for it: its messages are logged and its report kept, so a
// probe that gave up early still leaves a trace, and the next one is
// answered from it or joins it rather than starting the checks again.
type runner struct {
	exec func(ctx context.Context, checks []*checkEntry) *Report
	ttl  time.Duration // reuse a report this long (0: only one nobody received)
	// reuse is how long a report nobody received answers the next
	// heartbeat: reuseWindow (a test sets it).
	reuse time.Duration
	// background: a loop runs the checks; requests read the last report.
	background bool

	mu       sync.Mutex
	checks   []*checkEntry // replaced, never modified, so a run can keep its copy
	gen      uint64        // counts changes of checks; a report of an older set is stale
	inflight *run
	last     *run // the last completed run of the current check set

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

// report returns a current report: the last one while it is fresh, the
// one of the run under way, or the one of a new run. It returns ctx's
// error if ctx ends first; the run goes on.
func (r *runner) report(ctx context.Context) (*Report, error) {
	r.mu.Lock()
	if last := r.last; last != nil && last.gen == r.gen && r.fresh(last) {
		r.mu.Unlock()
		last.received.Store(true)
		return last.report, nil
	}
	ru := r.join(ctx)
	r.mu.Unlock()
	return r.wait(ctx, ru)
}

// fresh reports whether a completed run's report may answer a heartbeat.
func (r *runner) fresh(ru *run) bool {
	age := time.Since(ru.report.Time)
	return r.background || age < r.ttl || (!ru.received.Load() && age < r.reuse)
}

// join returns the run under way, or starts one. A run of an older check
// set is not joined. r.mu must be held.
func (r *runner) join(ctx context.Context) *run {
	if ru := r.inflight; ru != nil && ru.gen == r.gen {
		ru.joined++
		return ru
	}
	// The run keeps the values of the context that started it (its
	// request ID reaches the logs) but not its cancellation.
	rctx := context.WithoutCancel(ctx)
	ru := &run{done: make(chan struct{}), gen: r.gen, joined: 1}
	r.inflight = ru
	checks := r.checks
	r.runs.Add(1)
	go func() {
		defer r.runs.Done()
		rep := r.exec(rctx, checks)
		rep.gen = ru.gen
		r.mu.Lock()
		if r.inflight == ru {
			r.inflight = nil
		}
		ru.report = rep
		if ru.gen == r.gen {
			r.last = ru
		}
		r.mu.Unlock()
		close(ru.done)
	}()
	return ru
}

func (r *runner) wait(ctx context.Context, ru *run) (*Report, error) {
	select {
	case <-ru.done:
	case <-ctx.Done():
		select {
		case <-ru.done: // finished meanwhile: use it
		default:
			return nil, ctx.Err()
		}
	}
	ru.received.Store(true)
	return ru.report, nil
}

// latest returns the last completed report, if any.
func (r *runner) latest() (*Report, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return nil, false
	}
	return r.last.report, true
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
