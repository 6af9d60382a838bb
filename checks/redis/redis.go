package redischeck

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// The message IDs of the check, python-dockerflow's for Redis.
const (
	// IDCannotConnect: Redis cannot be reached (refused, timed out,
	// connection lost).
	IDCannotConnect = "dockerflow.health.E004"
	// IDMisconfigured: Redis refuses the client's credentials or
	// permissions, or TLS fails.
	IDMisconfigured = "dockerflow.health.E006"
	// IDPingFailed: Redis answers PING with anything but PONG.
	IDPingFailed = "dockerflow.health.E007"
	// IDRedisError: any other error Redis returns (LOADING, READONLY,
	// MASTERDOWN, CLUSTERDOWN…).
	IDRedisError = "dockerflow.health.E010"
)

// Status is what a client's Ping returns: go-redis's *StatusCmd, of v9
// (github.com/redis/go-redis/v9) or of v8 (github.com/go-redis/redis/v8).
type Status interface {
	Result() (string, error)
}

// Pinger is a Redis client that can PING. Every go-redis client is one,
// v9's and v8's alike: *redis.Client (single node, or sentinel failover
// from redis.NewFailoverClient), *redis.ClusterClient, *redis.Ring and any
// redis.UniversalClient. This package imports no Redis library, so a
// service on go-redis v8 builds no v9.
type Pinger[S Status] interface {
	Ping(ctx context.Context) S
}

// New returns a check named "redis" that PINGs Redis through client (the
// type argument is inferred: redischeck.New(rdb)). Set its Name or
// Timeout as needed; register one per client.
func New[S Status](client Pinger[S]) dockerflow.Check {
	return dockerflow.Check{Name: "redis", Func: Func(client)}
}

// Func returns the check's function:
//
//   - dockerflow.health.E004 when Redis cannot be reached (refused, timed
//     out, connection lost), with the cause;
//   - dockerflow.health.E006 when it refuses the client's credentials or
//     permissions, or TLS fails: Redis is misconfigured;
//   - dockerflow.health.E007 when it answers PING with anything but PONG;
//   - dockerflow.health.E010 for any other error Redis returns (LOADING,
//     READONLY, MASTERDOWN, CLUSTERDOWN…).
//
// The texts never hold the client's password. The check honours its
// context as far as the client does; with go-redis v9, set
// ContextTimeoutEnabled (give up at the check's timeout, not at the
// client's ReadTimeout), MaxRetries: -1 (go-redis's retries, with their
// backoff, outlast the check's timeout, and the cause, "connection
// refused", is lost to "context deadline exceeded") and DialerRetries: 1
// (five dials 100 ms apart make every heartbeat half a second long while
// Redis refuses connections); with v8, MaxRetries: -1 (see the package's
// doc).
func Func[S Status](client Pinger[S]) func(context.Context) []dockerflow.Message {
	secrets := clientSecrets(client)
	return func(ctx context.Context) []dockerflow.Message {
		reply, err := client.Ping(ctx).Result()
		if err == nil {
			if reply != "PONG" {
				return []dockerflow.Message{dockerflow.Error(IDPingFailed,
					fmt.Sprintf("Redis ping failed: it answered %q, not PONG", reply))}
			}
			return nil
		}
		id, what := classify(err)
		text := what + ": " + err.Error()
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			text = what + ": no answer within the check's timeout (" + err.Error() +
				"); the client's retries may have outlasted it and hidden the cause: set MaxRetries: -1"
		}
		return []dockerflow.Message{dockerflow.Error(id, dockerflow.Redact(text, secrets...))}
	}
}

// classify sorts a PING error as python-dockerflow does: connection
// problems, misconfiguration, and other errors from Redis itself. It reads
// the error's text and marker methods, as v8 and v9 write them alike.
func classify(err error) (id, what string) {
	switch {
	case isConfigError(err):
		return IDMisconfigured, "Redis is misconfigured"
	case isRedisReply(err):
		return IDRedisError, "Redis error"
	}
	return IDCannotConnect, "cannot connect to Redis"
}

// isConfigError reports a refused credential or permission, or a TLS
// failure.
func isConfigError(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"NOAUTH", "WRONGPASS", "NOPERM", "AUTH", "ERR AUTH", "invalid password",
		"ERR invalid password", "invalid username-password", "ERR invalid username-password"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return strings.Contains(msg, "tls: ") || strings.Contains(msg, "x509: ")
}

// isRedisReply reports an error Redis answered with: go-redis marks them
// with a RedisError method.
func isRedisReply(err error) bool {
	var re interface{ RedisError() }
	return errors.As(err, &re)
}

// clientSecrets returns the password configured in client (go-redis's
// Options().Password, on every client type and version), to redact from
// messages.
func clientSecrets(client any) []string {
	m := reflect.ValueOf(client).MethodByName("Options")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	opts := m.Call(nil)[0]
	if opts.Kind() == reflect.Pointer {
		if opts.IsNil() {
			return nil
		}
		opts = opts.Elem()
	}
	if opts.Kind() != reflect.Struct {
		return nil
	}
	if pw := opts.FieldByName("Password"); pw.IsValid() && pw.Kind() == reflect.String && pw.String() != "" {
		return []string{pw.String()}
	}
	return nil
}
