package logformat_test

import (
	"context"
	"errors"
	"os"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/dockerflow-go/dockerflow/logformat"
	"github.com/sirupsen/logrus"
)

func ExampleFormatter() {
	log := logformat.New(os.Stdout, &logformat.Formatter{
		Logger: "myservice",
		// Fixed here so the output is reproducible; leave them unset.
		Hostname: "web-1", Pid: 7,
		Now: func() time.Time { return time.Unix(1795514400, 0) },
	})

	ctx := dockerflow.WithRequestID(context.Background(), "3f2a")
	log.WithContext(ctx).WithField("error", errors.New("card declined")).Warn("charge failed")
	log.WithField(mozlog.TypeKey, "myservice.audit").WithField("user", "ann").Info("signed in")
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"app.log","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":4,"Pid":7,"Fields":{"error":"card declined","msg":"charge failed","rid":"3f2a"}}
	// {"Timestamp":1795514400000000000,"Type":"myservice.audit","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"msg":"signed in","user":"ann"}}
}

func ExampleNewLogger() {
	log := logrus.New()
	log.SetOutput(os.Stdout)
	log.SetFormatter(&logformat.Formatter{Logger: "myservice", Hostname: "web-1", Pid: 7,
		Now: func() time.Time { return time.Unix(1795514400, 0) }})

	svc, err := dockerflow.New(dockerflow.Config{Logger: logformat.NewLogger(log)})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Error("dockerflow.health.E001", "cannot connect to database")}
	}})
	_, _ = svc.Heartbeat(context.Background())
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"dockerflow.heartbeat","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":3,"Pid":7,"Fields":{"check":"db","id":"dockerflow.health.E001","msg":"cannot connect to database"}}
}
