package dockerflow

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// execute runs the checks concurrently and returns their report.
func (s *Service) execute(ctx context.Context, checks []*checkEntry) *Report {
	ctx, endRun := s.startRun(ctx)
	results := make([]CheckResult, len(checks))
	var ends []func(CheckResult) // the tracing observers' ends, by check
	if len(s.obs.chkStarts) > 0 {
		ends = make([]func(CheckResult), len(checks))
	}
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx := ctx
			if ends != nil {
				cctx, ends[i] = s.startCheck(ctx, c.Name)
			}
			results[i] = s.runCheck(cctx, c)
		}()
	}
	wg.Wait()
	now := s.now()
	s.settle(ctx, checks, results, now)
	for i, end := range ends {
		if end != nil {
			end(results[i])
		}
	}
	if len(s.obs.checks) > 0 {
		s.observeChecks(ctx, results)
	}
	rep := newReport(results, now)
	s.details.renderBodies(rep)
	if endRun != nil {
		endRun(rep)
	}
	return rep
}

// maxGrace bounds how long a check that ran out of time is waited for,
// for its own answer, past its timeout.
const maxGrace = 250 * time.Millisecond

// States of one call of a check's function.
const (
	callRunning int32 = iota
	callReturned
	callAbandoned
)

// runCheck runs one check under its timeout. The check's function runs on
// its own goroutine, so that one ignoring its context cannot hold the
// heartbeat; a panic in it becomes a critical message.
func (s *Service) runCheck(ctx context.Context, c *checkEntry) CheckResult {
	start := time.Now()
	res := CheckResult{Name: c.Name}
	if c.stuck.Load() > 0 {
		res.TimedOut = true
		res.Messages = []Message{Error(idCheckStillRunning,
			"the check's previous run ignored its timeout and has not returned; not started again")}
	} else {
		cctx, cancel := context.WithTimeout(ctx, c.timeout)
		done := make(chan []Message, 1) // buffered: a late check never blocks
		var state atomic.Int32          // callRunning, callReturned or callAbandoned
		var panicked atomic.Bool
		go func() {
			defer func() {
				if v := recover(); v != nil {
					panicked.Store(true)
					done <- []Message{Critical(idCheckPanicked, "check panicked: "+panicText(v))}
				}
				if !state.CompareAndSwap(callRunning, callReturned) {
					c.stuck.Add(-1)
				}
			}()
			done <- c.Func(cctx)
		}()
		select {
		case res.Messages = <-done:
		case <-cctx.Done():
			// A check that honours its context returns now, often with a
			// better message than ours ("cannot connect: i/o timeout"):
			// give it a moment, and its answer counts, whatever its level
			// (a check that yields only warnings stays one), but an empty
			// one: past its deadline, "nothing wrong" proves nothing (a
			// check that returns on ctx.Done with nothing would pass while
			// its backend hangs).
			reported := false
			grace := time.NewTimer(min(c.timeout/10, maxGrace))
			select {
			case res.Messages = <-done:
				reported = maxLevel(res.Messages) > LevelOK
			case <-grace.C:
			}
			grace.Stop()
			if !reported {
				res.TimedOut = true
				res.Messages = []Message{Error(idCheckTimedOut, "check timed out after "+c.timeout.String())}
				if state.CompareAndSwap(callRunning, callAbandoned) {
					c.stuck.Add(1)
				}
			}
		}
		cancel()
		res.Panicked = panicked.Load() && !res.TimedOut
	}
	res.Duration = time.Since(start)
	res.settle(s.silenced, s.keys)
	return res
}

func maxLevel(msgs []Message) Level {
	l := LevelOK
	for _, m := range msgs {
		l = max(l, m.Level)
	}
	return l
}
