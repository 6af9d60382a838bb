// Package bench measures dockerflow-go against what a Go service would use
// instead, in one run, as ratios: the framework's own empty handler and
// request logger, go.mozilla.org/mozlogrus, logrus.JSONFormatter,
// slog.NewJSONHandler, sequential checks as python-dockerflow runs them,
// and the health libraries github.com/alexliesenfeld/health and
// github.com/hellofresh/health-go.
//
// It is a module of its own so that the library never depends on them.
// `make bench` at the repository's root runs everything (cmd/benchreport)
// and writes BENCHMARKS.md.
package bench
