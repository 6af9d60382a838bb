// Package dockerflowsentry reports a Dockerflow service's failures to
// Sentry (github.com/getsentry/sentry-go): every panic, with its stack
// trace from the frame that panicked; every 5xx whose handler returned an
// error; every gRPC UNKNOWN, INTERNAL and DATA_LOSS; and each call of
// /__error__, which then tests the whole path in production, as the
// Dockerflow spec intends. Each is reported once, whatever the order of
// the adapter's middlewares:
//
//	err := sentry.Init(sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")})
//	...
//	cfg.Observers = append(cfg.Observers, dockerflowsentry.New(dockerflowsentry.Options{Environment: "production"}))
//
// An event carries the error's text and type, the tags rid, trace_id
// (when the request had a valid traceparent), method and route; the
// route as the transaction name (the full method of an RPC); the release
// from version.json ("version", else "commit") unless Options.Release
// says otherwise. It never carries the request's headers (Authorization,
// cookies), its query string or its body, and its texts are redacted as
// the logs are (password=xxxxx, postgres://user:xxxxx@host).
//
// Use it instead of sentry-go's own HTTP middleware (sentryhttp), not
// beside it: both would report each panic, and sentryhttp sends the
// request's headers.
package dockerflowsentry
