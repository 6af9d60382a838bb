package main

import (
	"context"
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
// heartbeat to fail, then checks that the lbheartbeat stays up and that
// the failing heartbeat still answers within the budget. The
// command's output goes to out; it is killed if it runs past a minute.
func (c *checker) whileDown(ctx context.Context, command string, out io.Writer) {
	cctx, cancel := context.WithTimeout(ctx, downCommand)
	defer cancel()
	cmd := exec.CommandContext(cctx, "sh", "-c", command)
	cmd.Stdout, cmd.Stderr = out, out
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
		if hb = c.p.do(ctx, "GET", pathHeartbeat); hb.err != nil || hb.code >= 500 {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(downWait / downPolls):
		}
	}
	lb := c.p.do(ctx, "GET", pathLBHeartbeat)
	c.independent(hb, lb, " during --while-down")
	// A heartbeat that waits on a dead backend past the probe's budget
	// fails without saying why (a silent Redis: 9 s).
	if hb.err == nil && hb.code >= 500 {
		c.check(ruleHeartbeatLatency, verdict(hb.latency <= c.budget), "within "+c.budget.String()+" while a backend is down",
			hb.latency.Round(time.Microsecond).String()+" during --while-down")
	} else if hb.err != nil {
		c.check(ruleHeartbeatLatency, fail, "an answer within "+c.budget.String()+" while a backend is down", hb.String()+" during --while-down")
	}
}
