package dockerflowtest_test

import (
	"context"
	"fmt"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

// A service's test reads what it logged: here, the heartbeat's check
// message, from a Logger in place of the mozlog lines.
func ExampleLogger() {
	log := &dockerflowtest.Logger{}
	svc, err := dockerflow.New(dockerflow.Config{Logger: log})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Error("myservice.E001", "cannot reach db at postgres://app:hunter2@db/app")}
	}})
	rep, _ := svc.Heartbeat(context.Background())
	fmt.Println(rep.Level)
	for _, e := range log.Events("dockerflow.heartbeat") {
		fmt.Println(e.Level, e.Msg)
	}
	// Output:
	// error
	// error cannot reach db at postgres://app:xxxxx@db/app
}

// Env stands for the environment in ConfigFromEnv.
func ExampleEnv() {
	cfg, err := dockerflow.ConfigFromEnv(dockerflowtest.Env(map[string]string{"DOCKERFLOW_CHECK_TIMEOUT": "2s"}))
	fmt.Println(cfg.CheckTimeout, err)
	// Output: 2s <nil>
}
