package dockerflowtest

import (
	"context"
	"slices"
	"sync"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Logger is a dockerflow.Logger that keeps what it is given, for tests to
// inspect. The zero value is ready to use.
type Logger struct {
	mu        sync.Mutex
	summaries []dockerflow.Summary
	events    []dockerflow.Event
}

var _ dockerflow.Logger = (*Logger)(nil)

// LogSummary implements dockerflow.Logger, keeping a copy of s.
func (l *Logger) LogSummary(_ context.Context, s *dockerflow.Summary) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.summaries = append(l.summaries, *s)
}

// LogEvent implements dockerflow.Logger.
func (l *Logger) LogEvent(_ context.Context, e dockerflow.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Attrs = slices.Clone(e.Attrs)
	l.events = append(l.events, e)
}

// Summaries returns the summaries logged so far.
func (l *Logger) Summaries() []dockerflow.Summary {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.summaries)
}

// Events returns the events logged so far, of the given Type, or of every
// type when typ is "".
func (l *Logger) Events(typ string) []dockerflow.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []dockerflow.Event
	for _, e := range l.events {
		if typ == "" || e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// Reset forgets everything logged so far.
func (l *Logger) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.summaries, l.events = nil, nil
}

// NewService returns a Service for tests, configured by cfg and closed
// when the test ends. When cfg.Logger is nil it logs to a new Logger,
// which is returned; else the Logger returned is nil.
func NewService(tb testing.TB, cfg dockerflow.Config) (*dockerflow.Service, *Logger) {
	tb.Helper()
	var log *Logger
	if cfg.Logger == nil {
		log = &Logger{}
		cfg.Logger = log
	}
	svc, err := dockerflow.New(cfg)
	if err != nil {
		tb.Fatalf("dockerflow.New: %v", err)
	}
	tb.Cleanup(func() { _ = svc.Close() })
	return svc, log
}

// Env returns a lookup function over m, for dockerflow.ConfigFromEnv and
// dockerflow.ListenAddr in tests.
func Env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}
