// Package dockerflow makes a Go web service meet Mozilla's Dockerflow
// contract. It is framework neutral and uses the standard library only;
// the adapters (dockerflowhttp for net/http, dockerflowchi, dockerflowecho,
// dockerflowgin, dockerflowgorilla, and dockerflowgrpc for gRPC health and
// call summaries) turn it into routes, middleware and interceptors. It
// logs mozlog itself (MozlogLogger), through log/slog (package mozlog's
// Handler), or through logrus (the logformat module).
//
// # Quickstart
//
// A whole service on net/http (dockerflowhttp; on another framework only
// the handler line changes): the three endpoints, a request ID and a
// request.summary for every request, a 500 for a panic, configuration
// from DOCKERFLOW_* and $PORT, and a stop on SIGTERM that drops no
// request.
//
//	package main
//
//	import (
//		"context"
//		"log"
//		"net/http"
//
//		dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
//		dockerflow "github.com/dockerflow-go/dockerflow/core"
//	)
//
//	func main() {
//		cfg, err := dockerflow.ConfigFromEnv(nil) // every invalid DOCKERFLOW_* variable, each named
//		if err != nil {
//			log.Fatal(err)
//		}
//		svc, err := dockerflow.New(cfg)
//		if err != nil {
//			log.Fatal(err)
//		}
//		defer svc.Close()
//		err = svc.Register(dockerflow.Check{Name: "disk", Func: func(ctx context.Context) []dockerflow.Message {
//			return nil // no messages: ok
//		}})
//		if err != nil {
//			log.Fatal(err)
//		}
//
//		mux := http.NewServeMux()
//		mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
//			w.Write([]byte("hello " + dockerflow.RequestID(r.Context()) + "\n"))
//		})
//		addr, err := dockerflow.ListenAddr(nil, "") // ":$PORT", ":8000" when unset
//		if err != nil {
//			log.Fatal(err)
//		}
//		srv := &http.Server{Addr: addr, Handler: dockerflowhttp.Wrap(svc, mux)}
//		// Serves until SIGTERM, then drains, lets the requests in flight
//		// finish, and returns nil.
//		if err := svc.Run(context.Background(), srv); err != nil {
//			log.Fatal(err)
//		}
//	}
//
// # The Service
//
// A [Service] is built once, from a [Config] whose zero value works:
// every field left at zero takes its default. [ConfigFromEnv] reads the
// environment (DOCKERFLOW_*, APP_DIR) into a Config, reporting every
// invalid variable at once; the service's code then changes what it
// wants, and what code sets wins. [Service.Run] serves until SIGTERM and
// stops without dropping a request.
//
// # Endpoints
//
//   - /__version__ serves the version object: $APP_DIR/version.json (else
//     /app/version.json), read once; 404 while it is missing, 500 when it
//     is malformed, not a JSON object, or over 1 MiB.
//   - /__heartbeat__ runs the checks and answers 200, or 500 (configurable)
//     when any check is at level error or above. The body is
//     {"status":"<level>"}; with HeartbeatShowDetails it also lists every
//     check and the messages of those above ok.
//   - /__lbheartbeat__ answers 200 at once, touching nothing.
//   - /__error__, when enabled, logs an error and fails the request
//     through the framework's error path.
//
// Each answers GET and HEAD, with or without a trailing slash, with
// Cache-Control: no-store; other methods get 405.
//
// # Checks
//
// A [Check] is a named function returning [Message]s, each with an ID
// and a [Level] (Django's: ok 0, debug 10, info 20, warning 30, error 40,
// critical 50). Checks are values: a shared package can return a []Check
// that many services [Service.Register].
//
// Checks run concurrently, each under its timeout (CheckTimeout, 800ms by
// default, or its own). A check that times out yields an error message
// (dockerflow.health.E100), one that panics a critical one
// (dockerflow.health.C100); one that ignores its context is not started
// again until it returns (dockerflow.health.E101). Concurrent heartbeats
// share one run; HeartbeatCacheTTL reuses a result for a while, and
// HeartbeatInterval runs the checks in the background instead.
//
// # Metrics and error reporting
//
// Config.Observers hands each check's result ([CheckResult]), each
// change of a check's level, each heartbeat, request summary and failure
// ([ErrorReport]: a panic with its stack, a 5xx with the handler's error,
// a gRPC server failure, /__error__) to any number of [Observer]s, once
// each whatever the order of the middlewares. The metrics/prometheus,
// metrics/otel and reporting/sentry modules make them; without any,
// nothing is paid.
//
// # Message IDs
//
// Dockerflow's own conditions:
//
//	dockerflow.health.E100  check timed out
//	dockerflow.health.E101  check's previous run still running past its timeout
//	dockerflow.health.W100  more messages than are kept (100 per check)
//	dockerflow.health.C100  check panicked
//	dockerflow.lifecycle.E001  starting: waiting for Ready (Config.WaitForReady)
//	dockerflow.lifecycle.E002  draining before the service stops
//
// The built-in checks (checks/redis, checks/sql) use python-dockerflow's
// catalogue: I001 cannot check migrations, W001 unapplied migration, E001
// cannot connect to database, E002 database unusable, E003 database
// misconfigured, E004 cannot connect to Redis, E006 Redis misconfigured,
// E007 Redis ping failed, E010 other Redis error (their constants,
// IDCannotConnect and so on, are in the modules).
//
// Every message's text goes through [Redact] before it is shown or logged:
// a driver error quoting a DSN does not leak its password.
//
// # Requests
//
// The adapters' middleware gives each request an ID (the X-Request-ID
// header when it is 1 to 128 printable ASCII characters, else a new UUIDv4),
// echoes it in the answer, stores it in the context ([RequestID]) and logs
// one request.summary [Summary] per request through the [Logger].
//
// # Stopping without dropping a request
//
// [Service.Run] serves *http.Server values (and a gRPC server through
// dockerflowgrpc.Server) until SIGTERM, then drains ([Service.Drain]:
// /__lbheartbeat__ 503, the heartbeat failing with a "dockerflow" entry,
// Connection: close on every answer) for Config.DrainDelay, stops
// accepting, waits for the requests in flight up to
// Config.ShutdownTimeout, logs the summaries of any left and returns nil.
// With Config.WaitForReady the heartbeat fails until [Service.Ready].
// [Healthcheck] is a service's "healthcheck" subcommand, for images
// without a shell.
//
// # For adapter authors
//
// Applications do not need this section. The kit every adapter is built
// from is declared in the files whose names start with "adapter", and
// reached through [Service.Adapter]: [Adapter.Routes], [Adapter.Endpoint]
// and [Adapter.Respond] serve the endpoints ([Endpoint]: [PathVersion],
// [PathHeartbeat], [PathLBHeartbeat], [PathError]; [ErrErrorEndpoint]);
// [Adapter.Intercept] answers what a router must not see; [Adapter.Track]
// and [Adapter.TrackCall] start a request's or an RPC's summary, which its
// [Tracker] ends ([Tracker.Done], [Tracker.Failed], [Tracker.Panicked]);
// recovery finds the tracker with [Adapter.Tracker] and readies the 500
// with [Adapter.ResetHeader]. The Adapter example is a whole adapter on
// net/http, and dockerflowtest.Run checks one against the contract.
//
// # Environment variables
//
// New reads no environment. ConfigFromEnv reads these into a Config,
// which code then changes (what code sets wins); ListenAddr reads PORT
// (8000 by default) and APP_DIR gives version.json's directory (/app):
//
// (settings: generated from the settings table by go generate)
//
//	DOCKERFLOW_VERSION_FILE                 path of version.json; else $APP_DIR/version.json, /app/version.json
//	DOCKERFLOW_VERSION_FROM_BUILD_INFO      bool, false: serve build information while there is no version.json
//	DOCKERFLOW_CHECK_TIMEOUT                duration 1ms-1m, 800ms: each check's timeout
//	DOCKERFLOW_HEARTBEAT_CACHE_TTL          0 or duration 1ms-1h, 0: reuse a result this long
//	DOCKERFLOW_HEARTBEAT_INTERVAL           0 or duration 100ms-1h, 0: run the checks in the background
//	DOCKERFLOW_DRAIN_DELAY                  duration up to 5m, 5s: serve on, draining, after SIGTERM; 0 skips it
//	DOCKERFLOW_SHUTDOWN_TIMEOUT             duration 1ms-10m, 20s: wait for requests in flight after the delay
//	DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE 400-599, 500: status of a failed heartbeat
//	DOCKERFLOW_HEARTBEAT_SHOW_DETAILS       bool, false: checks and details in the heartbeat body
//	DOCKERFLOW_HEARTBEAT_DETAILS_TOKEN      16+ bytes: a bearer token that shows checks and details to who sends it
//	DOCKERFLOW_HEARTBEAT_LOG                changes or every, changes: log a check's messages when its state changes, or on every run
//	DOCKERFLOW_SILENCED_CHECKS              comma-separated message IDs to drop
//	DOCKERFLOW_ENABLE_ERROR_ENDPOINT        bool, false: serve /__error__
//	DOCKERFLOW_REQUEST_ID_HEADER_NAME       header name, X-Request-ID: not framing, caching, credentials, sessions or addresses
//	DOCKERFLOW_REQUEST_ID_FROM_TRACEPARENT  bool, false: a traceparent's trace-id as the request ID when none is sent
//	DOCKERFLOW_REQUEST_ID_ECHO              bool, true: echo the request ID in the response
//	DOCKERFLOW_LOG_FORMAT                   mozlog or text, mozlog: the logger's lines (mozlog.OptionsFromEnv)
//	DOCKERFLOW_LOG_CLOUD_SEVERITY           bool, false: Cloud Logging's severity name beside mozlog's Severity
//	DOCKERFLOW_SUMMARY_LOG_QUERYSTRING      bool, false: log the query string, redacted
//	DOCKERFLOW_SUMMARY_LOG_FIELDS           comma-separated opt-in summary fields: size, remoteAddressChain (personal data), httpRequest (Cloud Logging)
//	GOOGLE_CLOUD_PROJECT                    Google Cloud project: the traces the httpRequest field links to
//	DOCKERFLOW_SENSITIVE_KEYS               comma-separated key names to redact, beside the built-in ones
//	DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS    comma-separated paths with no summary
//	DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE      0 < rate ≤ 1, 1: share of successful requests summarised
//
// (end of settings)
//
// Booleans take true/false, 1/0, yes/no, on/off; durations are Go
// durations ("800ms", "2s"). Every invalid variable is reported at once;
// a DOCKERFLOW_ variable that is none of these (misspelled, lower case)
// is logged as a warning naming the closest one.
package dockerflow
