package dockerflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Server is what Run serves and stops. *http.Server is one;
// dockerflowgrpc.Server makes one of a *grpc.Server.
type Server interface {
	// ListenAndServe serves until Shutdown or Close; http.ErrServerClosed
	// (or nil) then says it stopped as asked.
	ListenAndServe() error
	// Shutdown stops accepting and waits for the work in flight, within
	// ctx.
	Shutdown(ctx context.Context) error
	// Close stops at once.
	Close() error
}

// serverEnd is how the i-th server's ListenAndServe returned.
type serverEnd struct {
	i   int
	err error
}

// stopMargin bounds how long Run waits for a server it closed to return:
// a handler that ignores its context keeps a gRPC server's Stop (and
// Serve) from returning, and Run must not wait for it forever.
const stopMargin = time.Second

// Run serves servers until SIGTERM, SIGINT or the end of ctx, then stops
// without dropping a request:
//
//  1. the service drains (see Drain): /__lbheartbeat__ answers 503, the
//     heartbeat fails, every answer says Connection: close (on HTTP/2, a
//     GOAWAY), while requests are served as before;
//  2. after Config.DrainDelay (5s; SIGINT, Ctrl-C in a terminal, skips
//     it), the servers stop accepting and the requests in flight are
//     waited for, up to Config.ShutdownTimeout (20s): those a server
//     tracks (Shutdown) and every other tracked request (on an h2c
//     connection the server handed over, say). A connection the handler
//     hijacked (a websocket) is not waited for, as net/http's Shutdown
//     does not, and the log says so;
//  3. what is left is cut: the servers are closed, each request still in
//     flight is logged as cut short (when its handler returns, or by
//     Close), and Run returns nil, so that main exits 0, within
//     DrainDelay + ShutdownTimeout and a second: a server whose handlers
//     ignore their context and keep it from stopping is left behind, and
//     named in the log.
//
// A second signal stops at once. Each step is logged once, as a
// dockerflow.lifecycle event. Run returns an error only when a server
// fails to serve (a port in use), after stopping the others.
func (s *Service) Run(ctx context.Context, servers ...Server) error {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sigs)

	served := make(chan serverEnd, len(servers))
	for i, srv := range servers {
		go func() { served <- serverEnd{i, srv.ListenAndServe()} }()
	}
	st := &stopping{s: s, servers: servers, served: served, running: len(servers)}

	delay := s.cfg.DrainDelay
	var why string
	select {
	case r := <-served:
		st.running--
		err := r.err
		if err == nil || errors.Is(err, http.ErrServerClosed) {
			err = errors.New("it returned")
		}
		name := serverName(servers[r.i], r.i)
		st.logf(LevelError, "%s stopped serving: %v", name, err)
		_ = st.now()
		return fmt.Errorf("%s stopped serving: %w", name, err)
	case sig := <-sigs:
		why = "received " + signalName(sig)
		if sig == os.Interrupt {
			delay = 0
		}
	case <-ctx.Done():
		why = "the context ended"
	}

	s.Drain()
	if delay > 0 {
		st.logf(LevelInfo, "%s: draining for %v, then stopping", why, delay)
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case sig := <-sigs:
			st.logf(LevelWarning, "received %s while draining: stopping at once", signalName(sig))
			return st.now()
		}
	} else {
		st.logf(LevelInfo, "%s: stopping", why)
	}
	return st.gracefully(sigs)
}

// stopping is Run's stop: its servers, and how many have not returned.
type stopping struct {
	s       *Service
	servers []Server
	served  <-chan serverEnd
	running int // ListenAndServe calls not returned yet
}

func (st *stopping) logf(level Level, format string, args ...any) {
	st.s.log.LogEvent(context.Background(), Event{Type: mozlog.TypeLifecycle, Level: level, Msg: fmt.Sprintf(format, args...)})
}

// gracefully stops accepting, waits for the requests in flight up to the
// shutdown timeout (or a second signal), then cuts what is left.
func (st *stopping) gracefully(sigs <-chan os.Signal) error {
	s := st.s
	s.stop()
	n, hijacked := s.inflightCount()
	msg := fmt.Sprintf("stopped accepting; waiting up to %v for %s in flight", s.cfg.ShutdownTimeout, count(n-hijacked, "request"))
	if hijacked > 0 {
		msg += fmt.Sprintf("; %s (a websocket, say) not waited for: cut at the end", count(hijacked, "hijacked connection"))
	}
	st.logf(LevelInfo, "%s", msg)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	shut := make(chan struct{})
	go func() {
		defer close(shut)
		var wg sync.WaitGroup
		for _, srv := range st.servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = srv.Shutdown(sctx) // its error is sctx's: Run cuts what is left below
			}()
		}
		wg.Wait()
		s.waitInflight(sctx)
	}()
	select {
	case <-shut:
	case <-sctx.Done():
	case sig := <-sigs:
		st.logf(LevelWarning, "received %s while stopping: stopping at once", signalName(sig))
		cancel()
	}
	if n, hijacked := s.inflightCount(); n > hijacked && sctx.Err() != nil {
		st.logf(LevelWarning, "cutting %s still in flight after %v", count(n-hijacked, "request"), s.cfg.ShutdownTimeout)
	}
	return st.now()
}

// now cuts every request still in flight, closes every server, waits for
// them to return (each within stopMargin: one whose handlers ignore their
// context is named and left behind), logs the summaries of the requests
// cut short (Close), and says how it ended.
func (st *stopping) now() error {
	s := st.s
	s.stop()
	s.cutInflight()
	for _, srv := range st.servers {
		go func() { _ = srv.Close() }()
	}
	// The handlers of the requests cut return on their closed
	// connections, and log their summaries with what they had sent; Close
	// logs those that do not within the margin.
	margin, cancel := context.WithTimeout(context.Background(), stopMargin)
	defer cancel()
	returned := make([]bool, len(st.servers))
wait:
	for ; st.running > 0; st.running-- {
		select {
		case r := <-st.served:
			returned[r.i] = true
		case <-margin.Done():
			break wait
		}
	}
	for i, ok := range returned {
		if !ok && st.running > 0 {
			st.logf(LevelWarning, "%s did not stop within %v of being closed (its handlers ignore their context): left behind", serverName(st.servers[i], i), stopMargin)
		}
	}
	s.waitInflight(margin)
	_ = s.Close()
	cut := s.cutCount.Load()
	level := LevelInfo
	if cut > 0 {
		level = LevelWarning
	}
	st.logf(level, "stopped: %s cut short", count(int(cut), "request"))
	return nil
}

// serverName names a server in the log: an *http.Server by its address, a
// server that says what it is (fmt.Stringer: dockerflowgrpc.Server) by
// that, any other by its place among Run's arguments.
func serverName(srv Server, i int) string {
	switch srv := srv.(type) {
	case *http.Server:
		addr := srv.Addr
		if addr == "" {
			addr = ":http"
		}
		return "the HTTP server on " + addr
	case fmt.Stringer:
		return srv.String()
	}
	return fmt.Sprintf("server %d (%T)", i, srv)
}

// count is n and noun, plural when n is not 1: "1 request", "2 requests".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case os.Interrupt:
		return "SIGINT"
	}
	return sig.String()
}
