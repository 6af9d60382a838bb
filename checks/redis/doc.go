// Package redischeck is a Dockerflow health check for Redis, on any
// go-redis client: v9 (github.com/redis/go-redis/v9) or v8
// (github.com/go-redis/redis/v8). It imports neither.
//
// It takes the client the service already has (single node, sentinel
// failover, cluster, ring) and PINGs through it; it never opens
// connections of its own:
//
//	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1})
//	err := svc.Register(redischeck.New(rdb))
//
// MaxRetries: -1 lets the check say why Redis is down: go-redis's retries
// outlast the check's timeout and turn "connection refused" into "context
// deadline exceeded".
//
// Its messages use python-dockerflow's IDs: E004 cannot connect to Redis,
// E006 Redis misconfigured (credentials, permissions, TLS), E007 PING not
// answered with PONG, E010 any other Redis error. No message holds the
// client's password.
package redischeck
