package dockerflow

import (
	"context"
	"net/http"
	"time"
)

// The requests in flight: every tracked request or call whose summary is
// not logged yet is in the service's ring (Service.inflight), so that
// stopping can wait for them, count them and log the summaries of those it
// cuts.

// enter puts t, fully set up, in the ring of requests in flight, where
// stopping (another goroutine) finds it.
func (s *Service) enter(t *Tracker) {
	s.inflightMu.Lock()
	ring := &s.inflight
	t.prev, t.next = ring.prev, ring
	ring.prev.next, ring.prev = t, t
	s.inflightMu.Unlock()
}

// inflightCount returns how many requests are in flight, and how many of
// them hijacked their connection (a websocket): net/http's Shutdown does
// not wait for those.
func (s *Service) inflightCount() (n, hijacked int) {
	s.inflightMu.Lock()
	defer s.inflightMu.Unlock()
	for t := s.inflight.next; t != &s.inflight; t = t.next {
		n++
		if t.hijacked.Load() {
			hijacked++
		}
	}
	return n, hijacked
}

// inflightPoll is how often waitInflight looks again.
const inflightPoll = 10 * time.Millisecond

// waitInflight waits until no request is in flight but those that
// hijacked their connection, or ctx ends; it reports whether they ended.
// Shutdown waits for the connections a server knows; this waits for the
// requests, which a server does not track on a connection it handed over
// (h2c served by golang.org/x/net/http2/h2c, a gRPC server's calls).
func (s *Service) waitInflight(ctx context.Context) bool {
	tick := time.NewTicker(inflightPoll)
	defer tick.Stop()
	for {
		if n, hijacked := s.inflightCount(); n == hijacked {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

// cutInflight marks every request still in flight as cut short: its
// summary, whenever it is logged (its handler returning on a closed
// connection, or Close), says the service stopped before it finished,
// rather than the status its handler reports.
func (s *Service) cutInflight() {
	s.inflightMu.Lock()
	defer s.inflightMu.Unlock()
	for t := s.inflight.next; t != &s.inflight; t = t.next {
		t.markCut()
	}
}

// markCut marks the request cut short, counting it once.
func (t *Tracker) markCut() {
	if t.cut.CompareAndSwap(false, true) {
		t.svc.cutCount.Add(1)
	}
}

// The messages of a request cut short: its handler had not returned, or
// had hijacked the connection (a websocket) and kept it open, when the
// service stopped.
const (
	msgCut         = "the service stopped before the request finished"
	msgCutHijacked = "the service stopped with the connection hijacked (a websocket, say) still open: it was cut"
)

// cutShort logs the summary of a request still in flight when the
// service is closed. It runs on another goroutine than the handler's, so
// it builds its own record from the fields known when the request began.
func (t *Tracker) cutShort() {
	t.markCut()
	t.mu.Lock()
	route := t.sum.Route
	t.mu.Unlock()
	cut := t.sum.began()
	cut.Level, cut.Msg, cut.Route, cut.RPC = LevelError, msgCut, route, t.sum.RPC
	cut.Code, cut.Errno = http.StatusServiceUnavailable, http.StatusServiceUnavailable
	switch {
	case cut.RPC:
		cut.Code, cut.Errno, cut.Status = codeUnavailable, codeUnavailable, rpcStatus(codeUnavailable)
	case t.hijacked.Load():
		cut.Code, cut.Msg = http.StatusSwitchingProtocols, msgCutHijacked
	}
	t.finish(&cut)
}

// cutAnswer makes sum, the summary of a request marked cut whose handler
// returned (its connection closed under it: a streaming answer, a slow
// one), say so: at error level, errno 503 (14, UNAVAILABLE, for an RPC)
// whatever the handler's status, the code it sent kept.
func (t *Tracker) cutAnswer(sum *Summary) {
	if sum.Level < LevelError {
		sum.Level = LevelError
	}
	if sum.Msg == "" {
		sum.Msg = msgCut
	}
	if sum.Errno == 0 || sum.Errno < 500 {
		sum.Errno = http.StatusServiceUnavailable
		if sum.RPC {
			sum.Errno = codeUnavailable
		}
	}
}
