package dockerflow

import (
	"context"
	"time"
)

// The requests in flight: every tracked request or call whose summary is
// not logged yet is in the service's ring (Service.inflight), so that
// stopping can wait for them, count them and log the summaries of those it
// cuts.

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
func (t *tracker) markCut() {
	if t.cut.CompareAndSwap(false, true) {
		t.svc.cutCount.Add(1)
	}
}

// Hijacked records that the handler took over the request's connection
// (http.Hijacker: a websocket): net/http's Shutdown does not wait for it,
// so stopping does not either, and says so; if it is still open when the
// service stops, its summary says it was cut.
func (t *tracker) Hijacked() { t.hijacked.Store(true) }
