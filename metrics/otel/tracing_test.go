package dockerflowotel_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	dockerflowotel "github.com/dockerflow-go/dockerflow/metrics/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func attrs(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.Emit()
	}
	return m
}

// A run of the checks is one span, each check a child span, parented to
// the request's span when the heartbeat came with one; a backend call the
// check makes with its context is the check span's child; names,
// attributes, events and statuses as documented; messages redacted.
func TestTracing(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	obs, err := dockerflowotel.NewTracing(tp)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := dockerflow.New(dockerflow.Config{Observers: []dockerflow.Observer{obs}, CheckTimeout: 50 * time.Millisecond,
		Logger: &dockerflow.MozlogLogger{Out: &strings.Builder{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	tracer := tp.Tracer("test")
	err = svc.Register(
		dockerflow.Check{Name: "db", Func: func(ctx context.Context) []dockerflow.Message {
			_, span := tracer.Start(ctx, "SELECT 1") // what an instrumented client does
			span.End()
			return []dockerflow.Message{dockerflow.Error("db.E001", "cannot connect: postgres://app:hunter2@db/x")}
		}},
		dockerflow.Check{Name: "slow", Func: func(ctx context.Context) []dockerflow.Message {
			<-ctx.Done()
			return nil
		}},
		dockerflow.Check{Name: "cache", NonCritical: true, Func: func(context.Context) []dockerflow.Message { return nil }},
	)
	if err != nil {
		t.Fatal(err)
	}
	// The heartbeat's request, traced by the application's instrumentation.
	reqCtx, reqSpan := tracer.Start(httptest.NewRequest("GET", "/__heartbeat__", nil).Context(), "GET /__heartbeat__")
	if _, err := svc.Heartbeat(reqCtx); err != nil {
		t.Fatal(err)
	}
	reqSpan.End()

	spans := map[string]tracetest.SpanStub{}
	for _, s := range exp.GetSpans() {
		spans[s.Name] = s
	}
	run, db, slow, cache, query := spans["dockerflow.heartbeat"], spans["dockerflow.check db"], spans["dockerflow.check slow"], spans["dockerflow.check cache"], spans["SELECT 1"]
	if len(spans) != 6 || run.Name == "" || db.Name == "" || slow.Name == "" || cache.Name == "" || query.Name == "" {
		t.Fatalf("spans: %v", keys(spans))
	}
	if run.Parent.SpanID() != reqSpan.SpanContext().SpanID() || run.SpanContext.TraceID() != reqSpan.SpanContext().TraceID() {
		t.Errorf("the run's span is not the request span's child: parent %v", run.Parent.SpanID())
	}
	for _, c := range []tracetest.SpanStub{db, slow, cache} {
		if c.Parent.SpanID() != run.SpanContext.SpanID() {
			t.Errorf("%s: parent %v, want the run's span", c.Name, c.Parent.SpanID())
		}
	}
	if query.Parent.SpanID() != db.SpanContext.SpanID() {
		t.Errorf("the check's backend call is not the check span's child")
	}
	if a := attrs(run.Attributes); a["dockerflow.heartbeat.status"] != "error" || a["dockerflow.heartbeat.checks"] != "3" || run.Status.Code != codes.Error {
		t.Errorf("run span: %v %v", a, run.Status)
	}
	if a := attrs(db.Attributes); a["dockerflow.check.name"] != "db" || a["dockerflow.check.level"] != "error" || a["dockerflow.check.timed_out"] != "false" ||
		db.Status.Code != codes.Error || db.Status.Description != "cannot connect: postgres://app:xxxxx@db/x" {
		t.Errorf("db span: %v %v", a, db.Status)
	}
	if len(db.Events) != 1 || attrs(db.Events[0].Attributes)["dockerflow.message.id"] != "db.E001" ||
		strings.Contains(attrs(db.Events[0].Attributes)["dockerflow.message.text"], "hunter2") {
		t.Errorf("db events: %+v", db.Events)
	}
	if a := attrs(slow.Attributes); a["dockerflow.check.timed_out"] != "true" || a["dockerflow.check.result"] != "timeout" || slow.EndTime.Sub(slow.StartTime) < 50*time.Millisecond {
		t.Errorf("slow span: %v, %v", a, slow.EndTime.Sub(slow.StartTime))
	}
	if a := attrs(cache.Attributes); a["dockerflow.check.level"] != "ok" || cache.Status.Code == codes.Error {
		t.Errorf("cache span: %v %v", a, cache.Status)
	}
	if _, err := dockerflowotel.NewTracing(nil); err == nil {
		t.Error("NewTracing(nil): no error")
	}
	var _ trace.TracerProvider = tp
}

func keys(m map[string]tracetest.SpanStub) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
