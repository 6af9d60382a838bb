package main

import (
	"context"
	"fmt"
	"strings"
)

// requestIDs checks that a valid request ID is echoed (lb is an answer to
// one) and that invalid ones are not.
func (c *checker) requestIDs(ctx context.Context, lb answer) {
	if lb.err == nil {
		switch got := lb.header.Get("X-Request-ID"); got {
		case lb.rid:
			c.check(ruleRIDEcho, pass, "X-Request-ID echoed", got)
		case "":
			c.unechoed = lb.rid
			c.check(ruleRIDEcho, warn, "X-Request-ID echoed, or at least accepted", "not echoed (accepted, perhaps: --logs would say)")
		default:
			c.check(ruleRIDEcho, fail, "X-Request-ID echoed", fmt.Sprintf("sent %q, got %q", lb.rid, got))
		}
	}
	if !c.sel.runs(ruleRIDInvalid) {
		return
	}
	var echoed []string
	for _, bad := range []string{strings.Repeat("a", 200), "caf\xc3\xa9-id"} {
		a := c.p.do(ctx, "GET", pathLBHeartbeat, "X-Request-ID", bad)
		switch {
		case a.err != nil:
			echoed = append(echoed, "no answer: "+a.err.Error())
		case a.header.Get("X-Request-ID") == bad:
			echoed = append(echoed, fmt.Sprintf("%q echoed", oneLine(bad)))
		}
	}
	c.check(ruleRIDInvalid, verdict(len(echoed) == 0), "a 200-byte and a non-ASCII ID replaced", seenList(echoed, "replaced"))
}
