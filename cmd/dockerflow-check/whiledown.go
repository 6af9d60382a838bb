package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// Bounds of --while-down.
const (
	downPolls   = 20               // heartbeats sent waiting for it to fail
	downWait    = 10 * time.Second // how long it is waited for
	downCommand = time.Minute      // how long the command may run
)

// whileDown runs command (with sh -c) to break a backend, waits for the
// heartbeat to fail (or to report the backend down in its body, as a
// service that keeps 200 by design does), then checks that the
// lbheartbeat stays up and that the failing heartbeat still answers
// within the budget. Then it runs restore, whatever happened: the
// checks passed or failed, the command failed, or ctx ended (Ctrl-C).
// The commands' output goes to out; each is killed if it runs past a
// minute.
func (c *checker) whileDown(ctx context.Context, command, restore string, out io.Writer) {
	if restore != "" {
		defer func() {
			// Not ctx: it may be what ended (Ctrl-C), and the backend must
			// come back all the same.
			if err := shell(context.Background(), restore, out); err != nil {
				fmt.Fprintf(out, "dockerflow-check: --restore %q: %v\n", restore, err)
			}
		}()
	}
	cctx, cancel := context.WithTimeout(ctx, downCommand)
	defer cancel()
	cmd := exec.CommandContext(cctx, "sh", "-c", command)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = time.Second // a child the shell left (sleep) must not hold the run
	if err := cmd.Start(); err != nil {
		c.check(ruleLBIndependent, fail, "--while-down to run", err.Error())
		return
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() { <-done }() // the command ends, or is killed when cctx does

	deadline := time.Now().Add(downWait)
	var hb answer
	for i := 0; i < downPolls && time.Now().Before(deadline); i++ {
		if hb = c.p.do(ctx, "GET", pathHeartbeat); degraded(hb) {
			break
		}
		select {
		case <-ctx.Done():
			return
		case err := <-done:
			done <- err // for the deferred wait
			if err != nil {
				// It broke nothing it was asked to: no verdict on the
				// service.
				c.check(ruleLBIndependent, warn, "--while-down to break a backend", fmt.Sprintf("the command failed (%v): not exercised", err))
				return
			}
		case <-time.After(downWait / downPolls):
		}
	}
	lb := c.p.do(ctx, "GET", pathLBHeartbeat)
	c.independent(hb, lb, " during --while-down")
	// A heartbeat that waits on a dead backend past the probe's budget
	// fails without saying why (a silent Redis: 9 s).
	if hb.err == nil && degraded(hb) {
		c.check(ruleHeartbeatLatency, verdict(hb.latency <= c.budget), "within "+c.budget.String()+" while a backend is down",
			hb.latency.Round(time.Microsecond).String()+" during --while-down")
	} else if hb.err != nil {
		// No answer at all within --timeout: a probe takes that as a
		// failure, without the check's name (iprepd: 9-12 s on a silent
		// Redis).
		c.check(ruleHeartbeatLatency, fail, "an answer within "+c.budget.String()+" while a backend is down", hb.String()+" during --while-down")
		c.check(ruleHeartbeatStatus, fail, "200, or 5xx on error, while a backend is down", hb.String()+" during --while-down")
	}
}

// shell runs command with sh -c, its output to out, for at most a minute.
func shell(ctx context.Context, command string, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, downCommand)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = time.Second
	return cmd.Run()
}
