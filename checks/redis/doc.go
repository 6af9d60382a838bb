// Package redischeck is a Dockerflow health check for Redis, on any
// go-redis client: v9 (github.com/redis/go-redis/v9) or v8
// (github.com/go-redis/redis/v8). It imports neither.
//
// It takes the client the service already has (single node, sentinel
// failover, cluster, ring) and PINGs through it; it never opens
// connections of its own. On go-redis v9:
//
//	rdb := redis.NewClient(&redis.Options{
//		Addr:                  addr,
//		ContextTimeoutEnabled: true, // give up at the check's timeout
//		MaxRetries:            -1,   // no command retries: they hide "connection refused"
//		DialerRetries:         1,    // v9.15+: one dial, not 5 dials 100 ms apart
//	})
//	err := svc.Register(redischeck.New(rdb))
//
// On go-redis v8, which honours the check's deadline as it is (v8 has no
// ContextTimeoutEnabled, nor dial retries):
//
//	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
//
// With these a Redis that refuses connections fails each heartbeat at
// once, saying so; with go-redis's defaults, v9's five dials take half a
// second per heartbeat, and its command retries outlast the check's
// timeout and turn "connection refused" into "context deadline exceeded".
// ClusterOptions, RingOptions and FailoverOptions have DialerRetries from
// v9.18.
//
// Its messages use python-dockerflow's IDs: E004 cannot connect to Redis,
// E006 Redis misconfigured (credentials, permissions, TLS), E007 PING not
// answered with PONG, E010 any other Redis error. No message holds the
// client's password.
package redischeck
