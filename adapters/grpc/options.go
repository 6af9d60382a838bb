package dockerflowgrpc

import (
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

// ServerOptions returns the options of a gRPC server that serves the
// Dockerflow contract: StatsHandler (one summary per RPC, unknown methods
// included, with the status the client got), the unary and stream
// interceptors (request IDs, panics answered INTERNAL), and limits that
// keep one client from holding the server's memory, as the HTTP side's
// timeouts do:
//
//   - MaxConcurrentStreams 256 per connection (grpc-go sets none: one
//     connection could hold 20,000 Watch streams, 300 MB);
//   - idle connections closed after 5 minutes (grpc-go: never), every
//     connection after 30 minutes of age, with 30 s for its calls to
//     finish (so that clients rebalance onto new instances after a
//     scale-up);
//   - a ping after 1 minute of silence, and the connection closed when no
//     answer comes within 20 s (a peer that vanished without a FIN);
//   - client pings accepted every 10 s or less often, streams or not
//     (grpc-go's default, 5 minutes, closes clients that keep their
//     connections alive more eagerly with "too_many_pings");
//   - 10 s for a new connection's handshake (grpc-go: 120 s).
//
// Options given after these to grpc.NewServer override them:
//
//	s := grpc.NewServer(append(dockerflowgrpc.ServerOptions(svc), grpc.MaxRecvMsgSize(8<<20))...)
func ServerOptions(svc *dockerflow.Service) []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.StatsHandler(StatsHandler(svc)),
		grpc.ChainUnaryInterceptor(UnaryServerInterceptor(svc)),
		grpc.ChainStreamInterceptor(StreamServerInterceptor(svc)),
		grpc.MaxConcurrentStreams(256),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle:     5 * time.Minute,
			MaxConnectionAge:      30 * time.Minute,
			MaxConnectionAgeGrace: 30 * time.Second,
			Time:                  time.Minute,
			Timeout:               20 * time.Second,
		}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
		grpc.ConnectionTimeout(10 * time.Second),
	}
}
