package redischeck_test

import (
	"context"
	"fmt"
	"log"

	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// A service registers the check on the go-redis client it already has,
// v9 or v8 (Client, ClusterClient, Ring, UniversalClient), with the
// options that let the check report why Redis is down, at once. go-redis
// v9:
//
//	rdb := redis.NewClient(&redis.Options{
//		Addr:                  "cache:6379",
//		ContextTimeoutEnabled: true, // give up at the check's timeout
//		MaxRetries:            -1,   // retries outlast it and hide "connection refused"
//		DialerRetries:         1,    // v9.15+: one dial, not 5 dials 100 ms apart
//	})
//	err := svc.Register(redischeck.New(rdb))
//
// go-redis v8 (no ContextTimeoutEnabled: v8 honours the check's deadline
// as it is):
//
//	rdb := redis.NewClient(&redis.Options{Addr: "cache:6379", MaxRetries: -1})
//
// Any client whose Ping returns a value with Result() (string, error)
// works; here a stand-in, since this module requires no Redis library
// (the test module checks/redis/test runs the check on go-redis v9 and v8,
// against miniredis and real servers).
func Example() {
	svc, err := dockerflow.New(dockerflow.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	if err := svc.Register(redischeck.New(standIn{})); err != nil {
		log.Fatal(err)
	}
	rep, _ := svc.Heartbeat(context.Background())
	fmt.Println(rep.Level.String())
	// Output: ok
}

// standIn is a client whose PING answers PONG.
type standIn struct{}

func (standIn) Ping(context.Context) pong { return pong{} }

type pong struct{}

func (pong) Result() (string, error) { return "PONG", nil }
