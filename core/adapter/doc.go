// Package adapter is for authors of framework adapters and loggers, not
// for applications: it is the plumbing that dockerflowhttp,
// dockerflowchi, dockerflowecho, dockerflowgin and dockerflowgrpc are
// built from (the test TestReferenceAdapter is a whole adapter in 80
// lines), and that a logger
// (the logformat module) needs to write dockerflow's entries.
//
// An adapter serves the endpoints with [Match] or [Routes] and [Respond],
// and wraps every request in [Track] … [Tracker.Done] (or
// [Tracker.Panicked], [Tracker.Failed]) so that it gets a request ID and
// one request.summary. core/dockerflowtest.Run checks an adapter against
// the contract.
//
// A logger implements dockerflow.Logger; [SummaryAttrs] gives a summary's
// fields as mozlog names them, [SlogLevel] maps levels to log/slog, and
// the Type constants name the entries.
package adapter
