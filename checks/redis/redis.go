package redischeck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/redis/go-redis/v9"
)

// Pinger is the part of a go-redis v9 client the check uses. Every client
// has it: *redis.Client (single node, or sentinel failover from
// redis.NewFailoverClient), *redis.ClusterClient, *redis.Ring and any
// redis.UniversalClient.
type Pinger interface {
	Ping(ctx context.Context) *redis.StatusCmd
}

var (
	_ Pinger = (*redis.Client)(nil)
	_ Pinger = (*redis.ClusterClient)(nil)
	_ Pinger = (*redis.Ring)(nil)
	_ Pinger = redis.UniversalClient(nil)
)

// New returns a check named "redis" that PINGs Redis through client. Set
// its Name or Timeout as needed; register one per client.
func New(client Pinger) dockerflow.Check {
	return dockerflow.Check{Name: "redis", Func: Func(client)}
}

// Func returns the check's function:
//
//   - dockerflow.health.E004 when Redis cannot be reached (refused, timed
//     out, connection lost);
//   - dockerflow.health.E006 when it refuses the client's credentials or
//     permissions, or TLS fails: Redis is misconfigured;
//   - dockerflow.health.E007 when it answers PING with anything but PONG;
//   - dockerflow.health.E010 for any other error Redis returns (LOADING,
//     READONLY, MASTERDOWN, CLUSTERDOWN…).
//
// The texts never hold the client's password. The check honours its
// context as far as the client does: set ContextTimeoutEnabled in the
// client's options so that a Redis that stops answering is given up on at
// the check's timeout rather than at the client's ReadTimeout.
func Func(client Pinger) dockerflow.CheckFunc {
	secrets := clientSecrets(client)
	return func(ctx context.Context) []dockerflow.Message {
		reply, err := client.Ping(ctx).Result()
		if err == nil {
			if reply != "PONG" {
				return []dockerflow.Message{dockerflow.Error(dockerflow.IDRedisPingFailed,
					fmt.Sprintf("Redis ping failed: it answered %q, not PONG", reply))}
			}
			return nil
		}
		id, what := classify(err)
		return []dockerflow.Message{dockerflow.Error(id, dockerflow.Redact(what+": "+err.Error(), secrets...))}
	}
}

// classify sorts a PING error as python-dockerflow does: connection
// problems, misconfiguration, and other errors from Redis itself.
func classify(err error) (id, what string) {
	var rerr redis.Error
	switch {
	case redis.IsAuthError(err) || redis.IsPermissionError(err) ||
		redis.HasErrorPrefix(err, "AUTH") || redis.HasErrorPrefix(err, "invalid password") ||
		redis.HasErrorPrefix(err, "invalid username-password") || isTLSError(err):
		return dockerflow.IDRedisMisconfigured, "Redis is misconfigured"
	case errors.As(err, &rerr):
		return dockerflow.IDRedisError, "Redis error"
	}
	return dockerflow.IDCannotConnectRedis, "cannot connect to Redis"
}

func isTLSError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "tls: ") || strings.Contains(msg, "x509: ")
}

// clientSecrets returns the credentials configured in client, to redact
// from messages.
func clientSecrets(client Pinger) []string {
	switch c := client.(type) {
	case *redis.Client:
		return []string{c.Options().Password}
	case *redis.ClusterClient:
		return []string{c.Options().Password}
	case *redis.Ring:
		return []string{c.Options().Password}
	}
	return nil
}
