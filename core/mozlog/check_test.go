package mozlog_test

import (
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

func TestCheckRejects(t *testing.T) {
	good := `{"Timestamp":1,"Type":"t","Logger":"l","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":1,"Fields":{"msg":"m"}}` + "\n"
	if err := mozlog.Check([]byte(good)); err != nil {
		t.Fatalf("good line: %v", err)
	}
	for name, line := range map[string]string{
		"no-newline":      strings.TrimSuffix(good, "\n"),
		"two-lines":       good + good,
		"not-json":        "x\n",
		"severity-8":      strings.Replace(good, `"Severity":6`, `"Severity":8`, 1),
		"negative-time":   strings.Replace(good, `"Timestamp":1`, `"Timestamp":-1`, 1),
		"float-pid":       strings.Replace(good, `"Pid":1`, `"Pid":1.5`, 1),
		"env-version":     strings.Replace(good, `"2.0"`, `"v2"`, 1),
		"empty-fields":    strings.Replace(good, `{"msg":"m"}`, `{}`, 1),
		"deep-fields":     strings.Replace(good, `{"msg":"m"}`, `{"a":{"b":{"c":1}}}`, 1),
		"missing-key":     strings.Replace(good, `"Logger":"l",`, ``, 1),
		"type-not-string": strings.Replace(good, `"Type":"t"`, `"Type":1`, 1),
	} {
		if err := mozlog.Check([]byte(line)); err == nil {
			t.Errorf("%s: accepted %q", name, line)
		}
	}
}
