// Package bench compares logformat with the formatters a Go service would
// use instead: go.mozilla.org/mozlogrus (what Mozilla's Go services use
// today) and logrus.JSONFormatter, and logformat.Handler with
// slog.NewJSONHandler. It is a module of its own so that logformat never
// depends on mozlogrus. Run: go test -bench . -benchmem
package bench
