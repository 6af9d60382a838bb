// Package adapter is for authors of framework adapters, not for
// applications: it is the plumbing that dockerflowhttp, dockerflowchi,
// dockerflowecho, dockerflowgin, dockerflowgorilla and dockerflowgrpc are
// built from (the
// test TestReferenceAdapter is a whole adapter in 80 lines). Every name is
// typed: nothing here needs a type assertion.
//
// An adapter serves the endpoints with [Match] or [Routes] and [Respond],
// and wraps every request in [Track] … [Tracker.Done] (or
// [Tracker.Panicked], [Tracker.Failed]) so that it gets a request ID and
// one request.summary. core/dockerflowtest.Run checks an adapter against
// the contract.
//
// A logger implements dockerflow.Logger with what it is handed
// ((*dockerflow.Summary).AppendAttrs, dockerflow.Level.SlogLevel,
// dockerflow.TraceID) and package mozlog's encoder; the Type constants
// here name the entries.
package adapter
