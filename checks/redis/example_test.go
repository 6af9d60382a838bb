package redischeck_test

import (
	"log"

	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/redis/go-redis/v9"
)

// A service registers the Redis check on the client it already has (any
// go-redis v9 client: Client, ClusterClient, Ring, UniversalClient). The
// test module checks/redis/test runs this against miniredis and real
// servers.
func Example() {
	rdb := redis.NewClient(&redis.Options{Addr: "cache:6379", ContextTimeoutEnabled: true})
	defer rdb.Close()
	svc, err := dockerflow.New(dockerflow.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	// "redis": PING answers PONG within the check's timeout.
	if err := svc.Register(redischeck.New(rdb)); err != nil {
		log.Fatal(err)
	}
}
