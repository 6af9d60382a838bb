package dockerflowprometheus_test

import (
	"context"
	"fmt"
	"io"
	"log"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	dockerflowprometheus "github.com/dockerflow-go/dockerflow/metrics/prometheus"
	"github.com/prometheus/client_golang/prometheus"
)

// The service's checks and heartbeats as Prometheus metrics, on a
// registry of the application's choice (prometheus.DefaultRegisterer,
// which promhttp.Handler serves, in most services).
func Example() {
	reg := prometheus.NewRegistry()
	obs, err := dockerflowprometheus.New(reg, dockerflowprometheus.Options{Requests: true})
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
	_ = svc.Register(dockerflow.Check{Name: "database", Func: func(context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Error("database.E001", "cannot connect")}
	}})
	_, _ = svc.Heartbeat(context.Background())

	families, _ := reg.Gather()
	for _, f := range families {
		switch f.GetName() {
		case "dockerflow_check_up":
			fmt.Println(f.GetName(), f.GetMetric()[0].GetLabel()[0].GetValue(), f.GetMetric()[0].GetGauge().GetValue())
		case "dockerflow_heartbeats_total":
			fmt.Println(f.GetName(), f.GetMetric()[0].GetLabel()[0].GetValue(), f.GetMetric()[0].GetCounter().GetValue())
		}
	}
	// Output:
	// dockerflow_check_up database 0
	// dockerflow_heartbeats_total error 1
}
