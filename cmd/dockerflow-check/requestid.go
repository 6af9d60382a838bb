package main

import (
	"context"
	"fmt"
	"strings"
)

// invalidIDs are the invalid request IDs sent: 200 bytes, and non-ASCII.
// Each starts with the run's prefix, so that its summary in the logs is
// found if the service keeps it.
func invalidIDs(run string) []string {
	return []string{run + "-invalid-" + strings.Repeat("a", 200), run + "-invalid-caf\xc3\xa9"}
}

// requestIDs checks that a valid request ID is echoed (lb is an answer to
// one) and that invalid ones are not. With --logs, what the service did
// not echo is judged by its summaries (logs); without, a service that
// echoes nothing proves nothing about invalid IDs.
func (c *checker) requestIDs(ctx context.Context, lb answer) {
	echoes := false
	if lb.err == nil {
		switch got := lb.header.Get("X-Request-ID"); got {
		case lb.rid:
			echoes = true
			c.check(ruleRIDEcho, pass, "X-Request-ID echoed", got)
		case "":
			c.unechoed = lb.rid
			if !c.hasLogs {
				c.check(ruleRIDEcho, warn, "X-Request-ID echoed, or at least kept", "not echoed; --logs would say whether it was kept")
			}
		default:
			echoes = true
			c.check(ruleRIDEcho, fail, "X-Request-ID echoed", fmt.Sprintf("sent %q, got %q", lb.rid, got))
		}
	}
	if !c.sel.runs(ruleRIDInvalid) {
		return
	}
	var echoed []string
	for _, bad := range invalidIDs(c.p.run) {
		a := c.p.do(ctx, "GET", pathLBHeartbeat, "X-Request-ID", bad)
		switch {
		case a.err != nil:
			echoed = append(echoed, "no answer: "+a.err.Error())
		case a.header.Get("X-Request-ID") == bad:
			echoed = append(echoed, fmt.Sprintf("%q echoed", shortID(bad)))
		default:
			c.invalid = append(c.invalid, bad)
		}
	}
	const want = "a 200-byte and a non-ASCII ID replaced"
	switch {
	case len(echoed) > 0:
		c.check(ruleRIDInvalid, fail, want, seenList(echoed, ""))
		c.invalid = nil
	case c.hasLogs:
		// logs decides, from the summaries of the two requests.
	case echoes:
		c.check(ruleRIDInvalid, pass, want, "replaced")
		c.invalid = nil
	default:
		c.check(ruleRIDInvalid, warn, want, "not exercised: the service echoes no request ID; --logs would say whether it kept them")
		c.invalid = nil
	}
}

// errorEndpoint calls /__error__: where it is served, it must fail its
// request through the application's error handling.
func (c *checker) errorEndpoint(ctx context.Context) {
	if !c.sel.runs(ruleErrorEndpoint) && !c.sel.runs(ruleErrorTrace) {
		return
	}
	a := c.p.do(ctx, "GET", pathError)
	switch {
	case a.err != nil:
		c.check(ruleErrorEndpoint, fail, "a 5xx, or 404 where it is not served", a.String())
	case a.code == 404 || a.code == 405:
		c.check(ruleErrorEndpoint, pass, "a 5xx, or 404 where it is not served", fmt.Sprintf("%d: not served", a.code))
	case a.code >= 500 && a.code <= 599:
		c.errorRID = a.rid
		if !c.hasLogs {
			c.check(ruleErrorEndpoint, pass, "a 5xx, or 404 where it is not served", fmt.Sprint(a.code))
		}
	default:
		c.check(ruleErrorEndpoint, fail, "a 5xx, or 404 where it is not served", a.String())
	}
}

// appRoutes requests the application's own routes (--path), whose
// summaries the logs must have.
func (c *checker) appRoutes(ctx context.Context, paths []string) {
	for _, p := range paths {
		a := c.p.do(ctx, "GET", p)
		if a.err == nil {
			c.appRIDs = append(c.appRIDs, sent{rid: a.rid, method: "GET", path: p, code: a.code})
		}
	}
	if len(paths) > 0 && !c.hasLogs {
		c.check(ruleLogsSummaryApp, warn, "a request.summary for each --path", "not exercised: --logs would say")
	}
}
