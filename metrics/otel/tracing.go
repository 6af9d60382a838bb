package dockerflowotel

import (
	"context"
	"errors"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Span names and attribute keys of the heartbeat's traces.
const (
	spanRun        = "dockerflow.heartbeat"
	spanCheck      = "dockerflow.check "
	keyRawLevel    = attribute.Key("dockerflow.check.raw_level")
	keyLevel       = attribute.Key("dockerflow.check.level")
	keyTimedOut    = attribute.Key("dockerflow.check.timed_out")
	keyPanicked    = attribute.Key("dockerflow.check.panicked")
	keyChecks      = attribute.Key("dockerflow.heartbeat.checks")
	keyMessageID   = attribute.Key("dockerflow.message.id")
	keyMessageLvl  = attribute.Key("dockerflow.message.level")
	keyMessageText = attribute.Key("dockerflow.message.text")
	eventMessage   = "dockerflow.check.message"
)

// NewTracing returns the observer that traces the heartbeat with a tracer
// of tp, for Config.Observers: a span "dockerflow.heartbeat" per run of
// the checks, child of the span in the context that started the run (the
// first waiting heartbeat's request, when an instrumentation such as
// otelhttp traced it; a root span for a background run), and a child
// span "dockerflow.check <name>" per check, in the context the check's
// function gets, so that the calls it makes to its backend (a client
// instrumented with OpenTelemetry) are its children.
//
// A check's span carries its name, level as the heartbeat counts it and
// as the run found it, whether it timed out or panicked, and one event per
// message (ID, level, text: redacted as every message is); its status is
// Error, described by the first failing message, when the run found it
// failing. The run's span carries the heartbeat's status and the number
// of checks, Error when the heartbeat fails.
func NewTracing(tp trace.TracerProvider) (dockerflow.Observer, error) {
	if tp == nil {
		return dockerflow.Observer{}, errors.New("dockerflowotel: no tracer provider")
	}
	t := tp.Tracer(meterName)
	return dockerflow.Observer{
		RunStarted: func(ctx context.Context) (context.Context, func(*dockerflow.Report)) {
			ctx, span := t.Start(ctx, spanRun, trace.WithSpanKind(trace.SpanKindInternal))
			return ctx, func(r *dockerflow.Report) {
				span.SetAttributes(keyStatus.String(r.Level.String()), keyChecks.Int(len(r.Checks)))
				if r.Level.Failed() {
					span.SetStatus(codes.Error, "the heartbeat fails: "+r.Level.String())
				}
				span.End()
			}
		},
		CheckStarted: func(ctx context.Context, name string) (context.Context, func(dockerflow.CheckResult)) {
			start := time.Now()
			ctx, span := t.Start(ctx, spanCheck+name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithTimestamp(start),
				trace.WithAttributes(keyCheck.String(name)))
			return ctx, func(c dockerflow.CheckResult) { endCheck(span, start, c) }
		},
	}, nil
}

// endCheck records a check's result on its span and ends it when the check
// ended (its end is told after the whole run).
func endCheck(span trace.Span, start time.Time, c dockerflow.CheckResult) {
	span.SetAttributes(keyLevel.String(c.Level.String()), keyRawLevel.String(c.RawLevel.String()),
		keyTimedOut.Bool(c.TimedOut), keyPanicked.Bool(c.Panicked), keyResult.String(c.Outcome()))
	failed := ""
	for _, m := range c.Messages {
		span.AddEvent(eventMessage, trace.WithAttributes(keyMessageID.String(m.ID), keyMessageLvl.String(m.Level.String()), keyMessageText.String(m.Text)))
		if failed == "" && m.Level.Failed() {
			failed = m.Text
		}
	}
	if c.RawLevel.Failed() {
		span.SetStatus(codes.Error, failed)
	}
	span.End(trace.WithTimestamp(start.Add(c.Duration)))
}
