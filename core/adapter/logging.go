package adapter

import (
	"context"
	"log/slog"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/internal/bridge"
)

// Types of the entries dockerflow logs.
const (
	TypeSummary   = "request.summary"
	TypeHeartbeat = "dockerflow.heartbeat"
	TypeVersion   = "dockerflow.version"
	TypeError     = "dockerflow.error"
	TypeConfig    = "dockerflow.config"
)

// SummaryAttrs appends the summary's fields, as mozlog names them and in
// the order of their names, to dst: agent, code, errno, error (when set),
// lang, method, path, querystring (when enabled), rid, route (when known),
// status (for an RPC), t, trace_id (when the request had a valid
// traceparent), traceback (when set), uid. Every logger writes these.
func SummaryAttrs(s *dockerflow.Summary, dst []slog.Attr) []slog.Attr {
	return bridge.SummaryAttrs(s, dst)
}

// SlogLevel maps a dockerflow level to a log/slog level: debug, info,
// warning and error map to their slog namesakes, critical to
// slog.LevelError+4; in-between numbers round down.
func SlogLevel(l dockerflow.Level) slog.Level { return bridge.SlogLevel(int(l)) }

// TraceID returns the trace-id (32 hex characters) of the W3C traceparent
// header of the request whose context ctx is, or "" when it had none or an
// invalid one. Loggers add it as trace_id beside rid, as dockerflow's own
// do.
func TraceID(ctx context.Context) string { return bridge.TraceID(ctx) }
