// Package dockerflowgrpc serves a Dockerflow service's heartbeat over
// gRPC health checking (grpc.health.v1), which Kubernetes' gRPC probes and
// grpc-health-probe speak, and logs one request.summary per RPC: the
// same service, check set and logs as its HTTP endpoints.
//
// ServerOptions is the way in: it installs the stats handler that
// summarises every call (unknown methods and calls cut by a closed
// connection included, with the status the client got), the
// interceptors (request IDs, panics answered INTERNAL), and limits on
// streams and idle connections:
//
//	s := grpc.NewServer(dockerflowgrpc.ServerOptions(svc)...)
//	dockerflowgrpc.Register(s, svc)
//	pb.RegisterNotesServer(s, notes)
//	err := svc.Run(ctx, httpServer, dockerflowgrpc.Server(s, lis)) // until SIGTERM, then drains and stops
//
// The interceptors alone (UnaryServerInterceptor, StreamServerInterceptor)
// are for a server whose options are set elsewhere: grpc-go runs no
// interceptor for an unknown method, and they cannot see what the client
// got once its connection closed.
//
// While the service drains (SIGTERM under Service.Run, or Drain) every
// answer is NOT_SERVING, __lbheartbeat__ included, and every Watch is
// told; when it stops, the Watch streams end, so that the graceful stop
// does not wait on them.
//
// The health service answers for the service name "" (the whole
// heartbeat: SERVING unless it fails, as /__heartbeat__ answers 200) and
// for each check by its name (SERVING unless that check's level is error
// or above); "__lbheartbeat__" (LBHeartbeatService) answers SERVING
// without running any check, for liveness probes, which must not restart
// a pod because a backend is down, and NOT_SERVING while the service is
// marked broken (Service.Broken), as /__lbheartbeat__ answers 500; any
// other name is NOT_FOUND. List names the checks only to callers the
// heartbeat's details policy allows (Config.HeartbeatDetailsToken sent as
// "authorization: Bearer <token>" metadata, HeartbeatDetailsAllowed), as
// /__heartbeat__ shows its details. Check and List share runs with
// concurrent heartbeats, HTTP and gRPC alike: a caller's deadline bounds
// its wait, never the run, which finishes on the checks' own timeouts and
// is logged all the same. Watch sends the status at once, then each
// change, as seen by polling the heartbeat (see WithPollInterval). Check,
// List and each poll of Watch go through Service.Heartbeat, the path of
// /__heartbeat__ too: the observers' Heartbeat is told of
// each, and change logs, NonCritical checks and damping behave as over
// HTTP.
//
// Each call's summary: method and path the full
// method ("/pkg.Service/Method"), code and errno the gRPC status code's
// number, status its name ("NOT_FOUND"), rid from the x-request-id
// metadata (or a new one, sent back as x-request-id header metadata),
// trace_id from traceparent metadata, t, agent. A call ending in UNKNOWN,
// INTERNAL or DATA_LOSS (an error without a gRPC status is UNKNOWN) is
// logged at error level with the error's text; a panic is recovered, logged
// with its stack, and answered INTERNAL. Probes are summarised too:
// DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS=/grpc.health.v1.Health/Check drops
// them.
package dockerflowgrpc
