package dockerflow

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

type spanKey struct{}

// The tracing hooks wrap the run and each check: a check's function gets
// the context CheckStarted returned (inside RunStarted's), the ends are
// told of the settled result and the report, innermost first; a hook
// that panics is logged and harms neither the run nor the other hooks.
func TestSpanHooks(t *testing.T) {
	log := &events{}
	var mu sync.Mutex
	var calls []string
	record := func(s string) { mu.Lock(); calls = append(calls, s); mu.Unlock() }
	tracer := func(tag string) Observer {
		return Observer{
			RunStarted: func(ctx context.Context) (context.Context, func(*Report)) {
				record(tag + " run start")
				return context.WithValue(ctx, spanKey{}, tag+"/run"), func(r *Report) { record(tag + " run end " + r.Level.String()) }
			},
			CheckStarted: func(ctx context.Context, name string) (context.Context, func(CheckResult)) {
				parent, _ := ctx.Value(spanKey{}).(string)
				record(tag + " check start " + name + " in " + parent)
				return context.WithValue(ctx, spanKey{}, parent+"/"+name), func(c CheckResult) {
					record(tag + " check end " + c.Name + " " + c.Level.String() + " " + c.Messages[0].Text)
				}
			},
		}
	}
	panicky := Observer{
		RunStarted:   func(context.Context) (context.Context, func(*Report)) { panic("tracer exploded") },
		CheckStarted: func(context.Context, string) (context.Context, func(CheckResult)) { return nil, nil },
	}
	s := testService(t, Config{Logger: log, Observers: []Observer{tracer("a"), panicky, tracer("b")}})
	var seen string
	_ = s.Register(Check{Name: "db", NonCritical: true, Func: func(ctx context.Context) []Message {
		seen, _ = ctx.Value(spanKey{}).(string)
		return []Message{Error("db.E1", "down: password=hunter2")}
	}})
	rep, _ := s.Heartbeat(context.Background())
	if rep.Level != LevelWarning {
		t.Errorf("report %v", rep.Level)
	}
	if seen != "b/run/db/db" {
		t.Errorf("the check's context carries %q, want b/run/db/db (each tracer's check span, inside the last run span)", seen)
	}
	want := []string{
		"a run start", "b run start",
		"a check start db in b/run", "b check start db in b/run/db",
		"b check end db warning down: password=xxxxx", "a check end db warning down: password=xxxxx",
		"b run end warning", "a run end warning",
	}
	if !slices.Equal(calls, want) {
		t.Errorf("calls\n  %q\nwant\n  %q", calls, want)
	}
	if msgs := strings.Join(log.msgs(mozlog.TypeObserver), "\n"); !strings.Contains(msgs, "an observer panicked: tracer exploded") {
		t.Errorf("the panic was not logged: %s", msgs)
	}
}
