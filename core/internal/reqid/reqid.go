// Package reqid is where a request's IDs live in a context.Context:
// package dockerflow puts them there when it tracks a request (or in
// WithRequestID), and package mozlog's front ends read them to add rid and
// trace_id to every line logged with that context.
package reqid

import "context"

// Key is the context key of a request's IDs; its value is a Source.
type Key struct{}

// Source gives a request's ID and the trace-id of its W3C traceparent
// ("" when it has none): an *IDs, or the tracker of a request, which
// holds them already.
type Source interface {
	RequestIDs() (rid, trace string)
}

// IDs are a request's IDs, as a Source.
type IDs struct {
	RID, Trace string
}

// RequestIDs implements Source.
func (ids *IDs) RequestIDs() (rid, trace string) { return ids.RID, ids.Trace }

// With returns ctx carrying ids.
func With(ctx context.Context, ids *IDs) context.Context {
	return context.WithValue(ctx, Key{}, ids)
}

// From returns the request ID and trace-id ctx carries, "" for none.
func From(ctx context.Context) (rid, trace string) {
	if ctx == nil {
		return "", ""
	}
	if src, ok := ctx.Value(Key{}).(Source); ok && src != nil {
		return src.RequestIDs()
	}
	return "", ""
}
