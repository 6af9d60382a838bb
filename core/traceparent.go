package dockerflow

import (
	"context"

	"github.com/dockerflow-go/dockerflow/core/internal/reqid"
)

// traceID returns the trace-id of a W3C Trace Context traceparent header
// (level 1: "00-<32 hex>-<16 hex>-<2 hex>", lower-case, neither ID all
// zeros), or "" when the header is not one: an invalid header is ignored,
// never echoed or logged.
func traceID(h string) string {
	if len(h) != 55 || h[0] != '0' || h[1] != '0' || h[2] != '-' || h[35] != '-' || h[52] != '-' {
		return ""
	}
	trace, parent, flags := h[3:35], h[36:52], h[53:55]
	if !lowerHex(trace) || !lowerHex(parent) || !lowerHex(flags) || allZeros(trace) || allZeros(parent) {
		return ""
	}
	return trace
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func allZeros(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}

// TraceID returns the W3C trace-id (32 hex digits) of the traceparent
// header of the request whose context is ctx, or "" if there is none: the
// summary's trace_id, for a Logger to add to the entries it logs within
// the request, beside RequestID.
func TraceID(ctx context.Context) string {
	_, trace := reqid.From(ctx)
	return trace
}
