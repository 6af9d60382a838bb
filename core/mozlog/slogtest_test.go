package mozlog_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// The handler passes log/slog's own conformance suite, read back from its
// mozlog lines: Timestamp is the time, Severity the level, Fields the
// attributes, with dotted keys ("g.a") as the groups they came from.
func TestSlogtest(t *testing.T) {
	var buf *bytes.Buffer
	newHandler := func(*testing.T) slog.Handler {
		buf = &bytes.Buffer{}
		return mozlog.NewHandler(buf, nil)
	}
	result := func(t *testing.T) map[string]any {
		line := bytes.TrimSpace(buf.Bytes())
		var e struct {
			Timestamp int64
			Severity  int
			Fields    map[string]any
		}
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		m := map[string]any{"level": e.Severity, "msg": e.Fields["msg"], "time": e.Timestamp}
		if strings.HasSuffix(t.Name(), "/zero-time") {
			// The one difference: a mozlog line always has its Timestamp,
			// the time it was written when the record has none.
			delete(m, "time")
		}
		delete(e.Fields, "msg")
		for k, v := range e.Fields {
			put(m, strings.Split(k, "."), v)
		}
		return m
	}
	slogtest.Run(t, newHandler, result)
}

// put sets m's value at the path of keys, making the groups on the way.
func put(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		g, ok := m[k].(map[string]any)
		if !ok {
			g = map[string]any{}
			m[k] = g
		}
		m = g
	}
	m[path[len(path)-1]] = v
}
