package dockerflowotel_test

import (
	"context"
	"fmt"
	"io"
	"log"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	dockerflowotel "github.com/dockerflow-go/dockerflow/metrics/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The service's checks and heartbeats through an OpenTelemetry
// MeterProvider; here the SDK's, read by hand, where a service would
// give it an OTLP or Prometheus exporter.
func Example() {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	obs, err := dockerflowotel.New(mp, dockerflowotel.Options{Requests: true})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := dockerflow.New(dockerflow.Config{
		Observers: []dockerflow.Observer{obs},
		Logger:    &dockerflow.MozlogLogger{Out: io.Discard}, // this example prints the metrics only
	})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "database", Func: func(context.Context) []dockerflow.Message { return nil }})
	_, _ = svc.Heartbeat(context.Background())

	var rm metricdata.ResourceMetrics
	_ = reader.Collect(context.Background(), &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if g, ok := m.Data.(metricdata.Gauge[int64]); ok && m.Name == "dockerflow.check.up" {
			name, _ := g.DataPoints[0].Attributes.Value("dockerflow.check.name")
			fmt.Println(m.Name, name.AsString(), g.DataPoints[0].Value)
		}
	}
	// Output:
	// dockerflow.check.up database 1
}

// The heartbeat traced: a span per run, a child per check, with the
// check's level and messages (redacted); here the SDK's in-memory
// exporter, where a service would give its TracerProvider an OTLP one.
func ExampleNewTracing() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	tracing, err := dockerflowotel.NewTracing(tp)
	if err != nil {
		log.Fatal(err)
	}
	svc, err := dockerflow.New(dockerflow.Config{Observers: []dockerflow.Observer{tracing}, Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "database", Func: func(context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Error("dockerflow.health.E001", "connection refused")}
	}})
	_, _ = svc.Heartbeat(context.Background())
	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name, s.Status.Code, s.Status.Description)
	}
	// Output:
	// dockerflow.check database Error connection refused
	// dockerflow.heartbeat Error the heartbeat fails: error
}
