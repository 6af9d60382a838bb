package dockerflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
)

// Limits on what one check can put into a report, so that a check gone
// wrong cannot make the heartbeat answer huge.
const (
	maxMessagesPerCheck = 100
	maxMessageText      = 1024 // bytes
)

// Report is the outcome of one run of the checks. Reports are shared
// between the heartbeats that asked for them: do not modify one.
type Report struct {
	// Level is the highest level among the checks: the heartbeat fails
	// when Level.Failed(), and its status is Level.String().
	Level Level
	// Checks holds one result per check, sorted by name.
	Checks []CheckResult
	// Time is when the run finished.
	Time time.Time

	body []byte // the heartbeat body, rendered once per report
	// detailed is the body with checks and details, for the requests
	// the details policy lets see them; nil when none may.
	detailed []byte
	gen      uint64 // the check set it reports on
}

// CheckResult is what one check found.
type CheckResult struct {
	Name string
	// Level is what the check counts for in the heartbeat: the highest
	// level among Messages (0 when there are none), capped at warning for
	// a NonCritical check, damped by FailAfter and RecoverAfter.
	Level Level
	// RawLevel is the highest level among Messages, as the run found it.
	RawLevel Level
	// Messages are the check's messages, silenced IDs removed, at most 100.
	Messages []Message
	// Duration is how long the check took (or how long it was waited for).
	Duration time.Duration
	// TimedOut is set when the check ran out of time, or was not started
	// because its previous run still had not returned; Panicked when its
	// function panicked.
	TimedOut, Panicked bool
}

// Outcome names how the run of the check ended, as metrics count runs:
// "timeout", "panic", or the text of RawLevel ("ok", "warning"…).
func (c *CheckResult) Outcome() string {
	switch {
	case c.TimedOut:
		return "timeout"
	case c.Panicked:
		return "panic"
	}
	return c.RawLevel.String()
}

// settle removes silenced messages, computes the level, bounds the
// messages kept and redacts secrets from their texts. The level counts every message that is not silenced,
// including ones not kept.
func (c *CheckResult) settle(silenced map[string]bool, keys *redact.Keys) {
	kept := c.Messages[:0:0]
	c.Level = LevelOK
	for _, m := range c.Messages {
		if silenced[m.ID] {
			continue
		}
		if m.Level > c.Level {
			c.Level = m.Level
		}
		kept = append(kept, m)
	}
	if n := len(kept) - maxMessagesPerCheck; n > 0 {
		kept = append(kept[:maxMessagesPerCheck-1:maxMessagesPerCheck-1],
			Warning(idTooManyMessages, fmt.Sprintf("%d more messages not shown", n+1)))
	}
	for i := range kept {
		kept[i].Text = capField(redact.Text(bounded(kept[i].Text, maxMessageText), keys, nil), maxMessageText)
	}
	c.Messages = kept
}

func newReport(results []CheckResult, at time.Time) *Report {
	sort.Slice(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	rep := &Report{Checks: results, Time: at}
	for _, c := range results {
		if c.Level > rep.Level {
			rep.Level = c.Level
		}
	}
	return rep
}

type heartbeatStatus struct {
	Status string `json:"status"`
}

type heartbeatBody struct {
	Status  string                     `json:"status"`
	Checks  map[string]string          `json:"checks"`
	Details map[string]heartbeatDetail `json:"details"`
}

type heartbeatDetail struct {
	Status   string            `json:"status"`
	Level    Level             `json:"level"`
	Messages map[string]string `json:"messages"`
	// RawStatus is the last run's own status, when NonCritical or
	// damping made it count for another.
	RawStatus string `json:"raw_status,omitempty"`
}

// render returns the heartbeat body for the report. Without details it is
// {"status":"…"}; with them, "checks" has every check and "details" the
// ones above level 0. Texts of messages sharing an ID are joined by "; ".
func (r *Report) render(showDetails bool) []byte {
	if !showDetails {
		return marshal(heartbeatStatus{Status: r.Level.String()})
	}
	b := heartbeatBody{
		Status:  r.Level.String(),
		Checks:  make(map[string]string, len(r.Checks)),
		Details: map[string]heartbeatDetail{},
	}
	for _, c := range r.Checks {
		b.Checks[c.Name] = c.Level.String()
		if c.Level <= LevelOK && c.RawLevel <= LevelOK {
			continue
		}
		msgs := make(map[string]string, len(c.Messages))
		for _, m := range c.Messages {
			if prev, ok := msgs[m.ID]; ok {
				msgs[m.ID] = prev + "; " + m.Text
			} else {
				msgs[m.ID] = m.Text
			}
		}
		d := heartbeatDetail{Status: c.Level.String(), Level: c.Level, Messages: msgs}
		if c.RawLevel != c.Level {
			d.RawStatus = c.RawLevel.String()
		}
		b.Details[c.Name] = d
	}
	return marshal(b)
}

// marshal encodes v as compact JSON without HTML escaping. v is always one
// of this package's own body types, which cannot fail to encode.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(`{"status":"error"}`)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
