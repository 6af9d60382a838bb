package mozlogzap

import (
	"context"
	"log/slog"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Context returns a field that adds the request ID and trace ID of the
// request whose context is ctx (dockerflow.RequestID, dockerflow.TraceID)
// to a line, as "rid" and "trace_id"; nothing when ctx has neither. It
// works on any zap core (an inline object), and costs no map on NewCore's.
//
//	log.Info("charging card", mozlogzap.Context(r.Context()))
//	reqLog := log.With(mozlogzap.Context(r.Context())) // every line of the request
func Context(ctx context.Context) zap.Field {
	ids := fromContext(ctx)
	if ids == (contextIDs{}) {
		return zap.Skip()
	}
	return zap.Inline(ids)
}

// contextIDs are the IDs of a request's context.
type contextIDs struct{ rid, trace string }

func fromContext(ctx context.Context) contextIDs {
	if ctx == nil {
		return contextIDs{}
	}
	return contextIDs{dockerflow.RequestID(ctx), dockerflow.TraceID(ctx)}
}

// MarshalLogObject implements zapcore.ObjectMarshaler, for cores other
// than NewCore's.
func (ids contextIDs) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	if ids.rid != "" {
		enc.AddString("rid", ids.rid)
	}
	if ids.trace != "" {
		enc.AddString("trace_id", ids.trace)
	}
	return nil
}

func (ids contextIDs) appendTo(attrs []slog.Attr, prefix string) []slog.Attr {
	if ids.rid != "" {
		attrs = append(attrs, slog.String(prefix+"rid", ids.rid))
	}
	if ids.trace != "" {
		attrs = append(attrs, slog.String(prefix+"trace_id", ids.trace))
	}
	return attrs
}
