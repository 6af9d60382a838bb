// Package examples holds runnable services built on dockerflow-go. Each
// subdirectory is a main package; run one from the repository root with
// `go run ./examples/nethttp`.
package examples
