// Package redischeck is a Dockerflow health check for Redis, on go-redis
// v9 (github.com/redis/go-redis/v9).
//
// It takes the client the service already has (any go-redis client:
// single node, sentinel failover, cluster, ring) and PINGs through it;
// it never opens connections of its own:
//
//	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
//	err := svc.Register(redischeck.New(rdb))
//
// Its messages use python-dockerflow's IDs: E004 cannot connect to Redis,
// E006 Redis misconfigured (credentials, permissions, TLS), E007 PING not
// answered with PONG, E010 any other Redis error. No message holds the
// client's password.
package redischeck
