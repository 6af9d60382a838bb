package dockerflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
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

// typeLifecycle is the Type of the events Run logs.
const typeLifecycle = "dockerflow.lifecycle"

// Run serves servers until SIGTERM, SIGINT or the end of ctx, then stops
// without dropping a request:
//
//  1. the service drains (see Drain): /__lbheartbeat__ answers 503, the
//     heartbeat fails, every answer says Connection: close, while
//     requests are served as before;
//  2. after Config.DrainDelay (5s; SIGINT, Ctrl-C in a terminal, skips
//     it), the servers stop accepting and the requests in flight are
//     waited for, up to Config.ShutdownTimeout (20s);
//  3. what is left is cut, Close logs the summaries of the requests cut
//     short, and Run returns nil: main exits 0.
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
	running := len(servers) // ListenAndServe calls not returned yet
	logf := func(level Level, format string, args ...any) {
		s.log.LogEvent(context.Background(), Event{Type: typeLifecycle, Level: level, Msg: fmt.Sprintf(format, args...)})
	}

	delay := s.cfg.DrainDelay
	var why string
	select {
	case r := <-served:
		err := r.err
		if err == nil || errors.Is(err, http.ErrServerClosed) {
			err = errors.New("it returned")
		}
		logf(LevelError, "server %d stopped serving: %v", r.i, err)
		_ = s.stopNow(servers, served, running-1)
		return fmt.Errorf("server %d stopped serving: %w", r.i, err)
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
		logf(LevelInfo, "%s: draining for %v, then stopping", why, delay)
		select {
		case <-time.After(delay):
		case sig := <-sigs:
			logf(LevelWarning, "received %s while draining: stopping at once", signalName(sig))
			return s.stopNow(servers, served, running)
		}
	} else {
		logf(LevelInfo, "%s: stopping", why)
	}

	s.stop()
	inFlight := s.inflightCount()
	logf(LevelInfo, "stopped accepting; waiting up to %v for %d requests in flight", s.cfg.ShutdownTimeout, inFlight)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for _, srv := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if srv.Shutdown(sctx) != nil {
					_ = srv.Close()
				}
			}()
		}
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case sig := <-sigs:
		logf(LevelWarning, "received %s while stopping: stopping at once", signalName(sig))
		cancel()
		<-done
	}
	return s.finish(served, running)
}

// stopNow closes every server at once and finishes.
func (s *Service) stopNow(servers []Server, served <-chan serverEnd, running int) error {
	s.stop()
	for _, srv := range servers {
		_ = srv.Close()
	}
	return s.finish(served, running)
}

// finish waits for the servers to return, logs the summaries of the
// requests cut short (Close), and says how it ended.
func (s *Service) finish(served <-chan serverEnd, running int) error {
	for ; running > 0; running-- {
		<-served
	}
	cut := s.inflightCount()
	_ = s.Close()
	level := LevelInfo
	if cut > 0 {
		level = LevelWarning
	}
	s.log.LogEvent(context.Background(), Event{Type: typeLifecycle, Level: level,
		Msg: fmt.Sprintf("stopped: %d requests cut short", cut)})
	return nil
}

// inflightCount is the number of requests whose summary is not logged.
func (s *Service) inflightCount() int {
	s.inflightMu.Lock()
	defer s.inflightMu.Unlock()
	n := 0
	for t := s.inflight.next; t != &s.inflight; t = t.next {
		n++
	}
	return n
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
