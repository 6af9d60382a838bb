package dockerflow

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Check is a named health check. Checks are plain values: a package can
// define a set of them once (a func returning []Check) and every service
// that shares it registers the same set with [Service.Register].
type Check struct {
	// Name identifies the check in the heartbeat's "checks" and "details".
	Name string
	// Func inspects one dependency of the service and returns what it
	// found: no messages (or only ok-level ones) when all is well. It
	// must honour ctx: when ctx is done the check has run out of time,
	// and its answer will no longer be used.
	Func func(ctx context.Context) []Message
	// Timeout bounds one run of the check. Zero means the service's
	// CheckTimeout.
	Timeout time.Duration
	// NonCritical caps what the check can do to the heartbeat at warning
	// level: its errors, criticals, timeouts and panics count as
	// warnings, so that an optional dependency going down does not take
	// the service out of readiness. Its messages are still shown in the
	// details and logged at their own level.
	NonCritical bool
	// FailAfter counts the check's failure only after that many failing
	// runs in a row (a warning until then), and RecoverAfter its recovery
	// only after that many passing runs in a row: a flapping backend does
	// not flip readiness on every probe. 0 and 1 mean at once. The
	// heartbeat's details show the last run's own level (raw_status)
	// beside the damped one.
	FailAfter, RecoverAfter int
	// BreakAfter, if set (1s or more), marks the service broken
	// (Service.Broken) once the check has failed (error or above, its own
	// level, before NonCritical and FailAfter) on every run for that
	// long, so that a liveness probe on /__lbheartbeat__ restarts a
	// process whose backend connection will not come back on its own (a
	// wedged pool: syncstorage's deadman). Its first passing run clears
	// the mark it set. It is judged when the checks run: with
	// HeartbeatInterval, or on the heartbeats probes ask for. Off when
	// zero: most backends' failures are not cured by a restart.
	BreakAfter time.Duration
}

// CheckError adapts a function that returns an error into a Check's Func: a
// nil error is ok, any other error becomes one error-level message with
// the given ID and the error's text.
//
// The error's text is shown in heartbeat details and logs: make sure it
// holds no password, DSN or token.
func CheckError(id string, fn func(ctx context.Context) error) func(context.Context) []Message {
	return func(ctx context.Context) []Message {
		if err := fn(ctx); err != nil {
			return []Message{Error(id, err.Error())}
		}
		return nil
	}
}

// maxDampRuns bounds FailAfter and RecoverAfter: more runs than that is a
// check that never counts.
const maxDampRuns = 1000

// validateChecks reports every problem with the checks to be added to the
// ones a service already has.
func validateChecks(have []*checkEntry, add []Check) error {
	seen := make(map[string]bool, len(have)+len(add))
	for _, c := range have {
		seen[c.Name] = true
	}
	var errs []error
	for i, c := range add {
		switch {
		case c.Name == "":
			errs = append(errs, fmt.Errorf("check %d: empty name", i))
			continue
		case c.Name == lifecycleCheck:
			errs = append(errs, fmt.Errorf("check %q: the name is the heartbeat's entry of the service's state", c.Name))
		case seen[c.Name]:
			errs = append(errs, fmt.Errorf("check %q: registered twice", c.Name))
		case c.Func == nil:
			errs = append(errs, fmt.Errorf("check %q: nil Func", c.Name))
		case c.Timeout != 0 && c.Timeout < minCheckTimeout:
			errs = append(errs, fmt.Errorf("check %q: timeout %v is below %v", c.Name, c.Timeout, minCheckTimeout))
		case c.Timeout > maxCheckTimeout:
			errs = append(errs, fmt.Errorf("check %q: timeout %v is above %v", c.Name, c.Timeout, maxCheckTimeout))
		case c.BreakAfter != 0 && c.BreakAfter < time.Second:
			errs = append(errs, fmt.Errorf("check %q: BreakAfter %v is below 1s (0 for never)", c.Name, c.BreakAfter))
		case c.FailAfter < 0 || c.FailAfter > maxDampRuns || c.RecoverAfter < 0 || c.RecoverAfter > maxDampRuns:
			errs = append(errs, fmt.Errorf("check %q: FailAfter %d and RecoverAfter %d must be from 0 to %d runs", c.Name, c.FailAfter, c.RecoverAfter, maxDampRuns))
		}
		seen[c.Name] = true
	}
	return errors.Join(errs...)
}
