//go:build tools

package bench

// benchstat, at the version go.mod pins, for cmd/benchreport.
import _ "golang.org/x/perf/cmd/benchstat"
