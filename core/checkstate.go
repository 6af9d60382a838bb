package dockerflow

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// How a check's messages are logged (Config.HeartbeatLog).
const (
	heartbeatLogChanges = "changes"
	heartbeatLogEvery   = "every"
)

// reminderEvery is how often the messages of a check that stays non-ok
// are logged again, when only changes are logged.
const reminderEvery = time.Minute

// checkState is what the service remembers of one check between runs: its
// damped state, the streak of runs that disagree with it, and what was
// logged.
type checkState struct {
	failing   bool        // the damped state: the check's failure counts
	failLevel Level       // the level it fails at
	streak    int         // consecutive runs against the damped state
	last      CheckResult // the last run's result, as reported
	since     time.Time   // when the current non-ok state began
	badRuns   int         // non-ok runs since then
	lastLog   time.Time   // when its messages were last logged
	// failingSince is when the check's own level began failing on every
	// run (zero while it passes), broke the mark it set (BreakAfter).
	failingSince time.Time
	broke        *string
}

// checkStates holds every check's state, by name.
type checkStates struct {
	mu sync.Mutex
	m  map[string]*checkState
}

// settle turns one run's results into what the heartbeat reports and
// logs: each result's Level capped for a NonCritical check and damped by
// FailAfter and RecoverAfter (RawLevel keeps the check's own); the
// messages logged when the check's state changes, and then at most once a
// minute while it stays non-ok (or on every run, HeartbeatLog "every");
// the observers' CheckChanged told of each change.
func (s *Service) settle(ctx context.Context, checks []*checkEntry, results []CheckResult, now time.Time) {
	s.states.mu.Lock()
	defer s.states.mu.Unlock()
	if s.states.m == nil {
		s.states.m = map[string]*checkState{}
	}
	type change struct{ from, to CheckResult }
	var changes []change

	for i := range results {
		c, res := checks[i], &results[i]
		st := s.states.m[c.Name]
		if st == nil {
			st = &checkState{last: CheckResult{Name: c.Name}}
			s.states.m[c.Name] = st
		}
		res.RawLevel = res.Level
		res.Level = st.damp(c, res.Level)
		prev := st.last
		st.last = *res
		changed := res.Level != prev.Level
		switch {
		case res.Level > LevelOK && prev.Level <= LevelOK:
			st.since, st.badRuns = now, 0
		case res.Level <= LevelOK && prev.Level > LevelOK:
			s.log.LogEvent(ctx, Event{Type: mozlog.TypeHeartbeat, Level: LevelInfo,
				Msg:   fmt.Sprintf("%s recovered after %v, %s", c.Name, now.Sub(st.since).Round(time.Second), count(st.badRuns, "failed run")),
				Attrs: []slog.Attr{slog.String("check", c.Name)}})
		}
		if res.Level > LevelOK {
			st.badRuns++
		}
		if s.cfg.HeartbeatLog == heartbeatLogEvery || changed || res.Level > LevelOK && now.Sub(st.lastLog) >= reminderEvery {
			if s.logResult(ctx, res) {
				st.lastLog = now
			}
		}
		if c.BreakAfter > 0 {
			s.deadman(st, c, res, now)
		}
		if changed && len(s.obs.changes) > 0 {
			changes = append(changes, change{prev, *res})
		}
	}
	for _, ch := range changes {
		s.observeChange(ctx, ch.from, ch.to)
	}
}

// deadman follows how long check c has failed on every run (its own
// level, RawLevel): it marks the service broken once that is BreakAfter
// or more, and clears the mark it set at the first passing run.
func (s *Service) deadman(st *checkState, c *checkEntry, res *CheckResult, now time.Time) {
	if !res.RawLevel.Failed() {
		st.failingSince = time.Time{}
		if st.broke != nil {
			s.clearBroken(st.broke)
			st.broke = nil
		}
		return
	}
	if st.failingSince.IsZero() {
		st.failingSince = now
	}
	if st.broke != nil || now.Sub(st.failingSince) < c.BreakAfter {
		return
	}
	why := "failed"
	for _, m := range res.Messages {
		if m.Level.Failed() {
			why = m.Text // redacted by settle, as every message
			break
		}
	}
	st.broke = s.markBroken(fmt.Sprintf("check %s has failed on every run for %v (BreakAfter %v): %s",
		c.Name, now.Sub(st.failingSince).Round(time.Second), c.BreakAfter, why), true) // nil while the application's mark is set
}

// damp returns the level a run at level raw counts for: capped at
// warning for a NonCritical check; a failure counted only after
// FailAfter failing runs in a row (a warning until then), a recovery only
// after RecoverAfter passing ones (the failure's level until then).
func (st *checkState) damp(c *checkEntry, raw Level) Level {
	if c.NonCritical && raw > LevelWarning {
		raw = LevelWarning
	}
	fails := raw.Failed()
	if !st.failing {
		if !fails {
			st.streak = 0
			return raw
		}
		if st.streak++; st.streak < max(c.FailAfter, 1) {
			return LevelWarning
		}
		st.failing, st.failLevel, st.streak = true, raw, 0
		return raw
	}
	if fails {
		st.streak, st.failLevel = 0, raw
		return raw
	}
	if st.streak++; st.streak < max(c.RecoverAfter, 1) {
		return st.failLevel
	}
	st.failing, st.streak = false, 0
	return raw
}

// logResult logs every message of res above ok at its own level, and
// reports whether there was one.
func (s *Service) logResult(ctx context.Context, res *CheckResult) bool {
	logged := false
	for _, m := range res.Messages {
		if m.Level <= LevelOK {
			continue
		}
		logged = true
		s.log.LogEvent(ctx, Event{Type: mozlog.TypeHeartbeat, Level: m.Level, Msg: m.Text, Attrs: []slog.Attr{
			slog.String("check", res.Name),
			slog.String("id", m.ID),
		}})
	}
	return logged
}
