// Package bridge lets package adapter reach what package dockerflow keeps
// unexported, without either importing the other's internals: dockerflow
// sets these functions when it is initialised, adapter calls them. Values
// of dockerflow's types travel as any.
package bridge

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

var (
	// Track starts a request's summary; the tracker has the methods of
	// adapter.Tracker.
	Track func(svc any, r *http.Request, h http.Header) (*http.Request, any)
	// TrackCall starts an RPC's summary; the tracker has the methods of
	// adapter.CallTracker.
	TrackCall func(ctx context.Context, svc any, method string, md http.Header) (context.Context, any)
	// HeartbeatInterval is the background loop's interval, 0 for none.
	HeartbeatInterval func(svc any) time.Duration
	// Match returns the endpoint (a dockerflow endpoint number, 0 for
	// none) that serves path.
	Match func(svc any, path string) int
	// Respond answers a request to an endpoint.
	Respond func(svc any, ctx context.Context, ep int, method string) (status int, contentType, allow string, body []byte, err error)
	// ErrorEndpoint reports whether /__error__ is served.
	ErrorEndpoint func(svc any) bool
	// RequestIDHeader is the canonical name of the request-ID header.
	RequestIDHeader func(svc any) string
	// SummaryAttrs appends a *dockerflow.Summary's fields.
	SummaryAttrs func(s any, dst []slog.Attr) []slog.Attr
	// TraceID is the trace-id of the request tracked in a context.
	TraceID func(ctx context.Context) string
	// SlogLevel maps a dockerflow.Level (as int) to slog.
	SlogLevel func(level int) slog.Level
	// TrackerFrom returns the tracker of the request whose context is ctx,
	// if its summary is not logged yet.
	TrackerFrom func(ctx context.Context) (any, bool)
	// ResetHeader readies a response header for a recovered 500; svc may
	// be nil.
	ResetHeader func(svc any, h http.Header)
)
