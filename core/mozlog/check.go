package mozlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
)

var envVersionRE = regexp.MustCompile(`^\d+(\.\d+){0,2}$`)

// Check reports whether line is one mozlog line, newline included: a JSON
// object with exactly Timestamp (integer >= 0), Type, Logger, Hostname
// (strings), EnvVersion ("2.0" and the like), Severity (0 to 7), Pid
// (integer >= 0) and Fields (a non-empty object whose values hold no
// object within an object), and beside them Cloud Logging's severity and
// special fields (httpRequest, logging.googleapis.com/trace…), which it
// reads at the top of the object. Services can use it in their own tests.
func Check(line []byte) error {
	if len(line) == 0 || line[len(line)-1] != '\n' {
		return errors.New("mozlog: not a line ending in a newline")
	}
	if bytes.IndexByte(line[:len(line)-1], '\n') >= 0 {
		return errors.New("mozlog: more than one line")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("mozlog: not a JSON object: %w", err)
	}
	if dec.More() {
		return errors.New("mozlog: more than one JSON value")
	}
	want := 8
	if sev, ok := m["severity"]; ok { // Cloud Logging's name of Severity
		want++
		n, _ := m["Severity"].(json.Number)
		i, err := n.Int64()
		if err != nil || i < 0 || i > 7 || sev != encode.Severities[i].Cloud {
			return fmt.Errorf("mozlog: severity %v does not name Severity %v", sev, m["Severity"])
		}
	}
	for k, v := range m {
		if !encode.Hoisted(k) {
			continue
		}
		want++ // one of Cloud Logging's fields: an object of its own at most
		if obj, ok := v.(map[string]any); ok {
			for k2, v2 := range obj {
				if _, deep := v2.(map[string]any); deep {
					return fmt.Errorf("mozlog: %s.%s is an object: Cloud Logging's fields stay shallow", k, k2)
				}
			}
		}
	}
	if len(m) != want {
		return fmt.Errorf("mozlog: %d keys, want the 8 of the envelope (and severity, and Cloud Logging's httpRequest and logging.googleapis.com/ fields)", len(m))
	}
	for _, k := range []string{"Type", "Logger", "Hostname", "EnvVersion"} {
		if _, ok := m[k].(string); !ok {
			return fmt.Errorf("mozlog: %s is %v, want a string", k, m[k])
		}
	}
	if !envVersionRE.MatchString(m["EnvVersion"].(string)) {
		return fmt.Errorf("mozlog: EnvVersion %q is not like 2.0", m["EnvVersion"])
	}
	for _, r := range []struct {
		key     string
		min, mx int64
	}{{"Timestamp", 0, 1<<63 - 1}, {"Severity", 0, 7}, {"Pid", 0, 1<<63 - 1}} {
		n, _ := m[r.key].(json.Number)
		v, err := n.Int64()
		if err != nil || v < r.min || v > r.mx {
			return fmt.Errorf("mozlog: %s is %v, want an integer from %d to %d", r.key, m[r.key], r.min, r.mx)
		}
	}
	fields, ok := m["Fields"].(map[string]any)
	if !ok || len(fields) == 0 {
		return fmt.Errorf("mozlog: Fields is %v, want a non-empty object", m["Fields"])
	}
	for k, v := range fields {
		if obj, ok := v.(map[string]any); ok {
			for k2, v2 := range obj {
				if _, deep := v2.(map[string]any); deep {
					return fmt.Errorf("mozlog: Fields.%s.%s is an object: Fields must stay shallow", k, k2)
				}
			}
		}
	}
	return nil
}
