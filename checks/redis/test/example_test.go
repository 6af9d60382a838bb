package test

import (
	"context"
	"fmt"
	"io"

	"github.com/alicebob/miniredis/v2"
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/redis/go-redis/v9"
)

// The package's example, run on miniredis, with the output it documents.
func Example_miniredis() {
	server, _ := miniredis.Run() // a real service has its Redis
	defer server.Close()
	rdb := redis.NewClient(&redis.Options{Addr: server.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1, DialerRetries: 1})
	defer rdb.Close()

	svc, _ := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	defer svc.Close()
	if err := svc.Register(redischeck.New(rdb)); err != nil {
		fmt.Println(err)
		return
	}

	rep, _ := svc.Heartbeat(context.Background())
	fmt.Println(rep.Level.String())
	server.RequireAuth("s3cret") // Redis now refuses the client: misconfigured
	rep, _ = svc.Heartbeat(context.Background())
	fmt.Println(rep.Level.String(), rep.Checks[0].Messages[0].ID)
	// Output:
	// ok
	// error dockerflow.health.E006
}
