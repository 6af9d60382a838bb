package dockerflowtest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// MozlogLines checks that every line of out is a mozlog line
// (mozlog.Check) of at most 16 KiB, newline included, and returns them
// decoded, numbers as json.Number: what a logger's tests assert on.
func MozlogLines(tb testing.TB, out []byte) []map[string]any {
	tb.Helper()
	var lines []map[string]any
	for _, line := range bytes.SplitAfter(out, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if err := mozlog.Check(line); err != nil {
			tb.Fatalf("%v: %q", err, line)
		}
		if len(line) > encode.MaxLine {
			tb.Fatalf("a line of %d bytes, above %d: %.200q…", len(line), encode.MaxLine, line)
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			tb.Fatal(err)
		}
		lines = append(lines, m)
	}
	return lines
}
