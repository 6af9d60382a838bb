package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCLI(stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// The container rules: a Dockerfile as the spec asks passes; one that
// runs as root from /srv without version.json or CMD fails each rule, on
// its final stage (the build stage's /app and version.json do not count).
func TestDockerfile(t *testing.T) {
	code, out, errOut := runCLI("", "--dockerfile", "testdata/good.Dockerfile")
	if code != 0 || strings.Count(out, "PASS") != 4 {
		t.Errorf("good Dockerfile: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI("", "--dockerfile", "testdata/bad.Dockerfile")
	if code != 1 {
		t.Errorf("bad Dockerfile: exit %d", code)
	}
	for _, want := range []string{"FAIL    dockerfile.app-dir", "FAIL    dockerfile.user", "FAIL    dockerfile.entrypoint", "FAIL    dockerfile.version-json",
		"no USER: the container runs as root", "line 8: WORKDIR /srv"} {
		if !strings.Contains(out, want) {
			t.Errorf("bad Dockerfile: no %q in\n%s", want, out)
		}
	}
}

// Logs from a stream: plain text is no mozlog; a torn last line neither.
func TestLogsFromStdin(t *testing.T) {
	good := `{"Timestamp":1,"Type":"app.log","Logger":"x","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":1,"Fields":{"msg":"hi"}}` + "\n"
	for _, tc := range []struct {
		logs, want string
	}{
		{good + "listening on :8000\n", "1 of 2 lines are not: line 2: mozlog: not a JSON object"},
		{good + good[:40], "1 of 2 lines are not: line 2: mozlog: not a line ending in a newline"},
		{good, "1 lines, all mozlog"},
	} {
		tail := tail(strings.NewReader(tc.logs), false)
		<-tail.done
		lines, err := tail.close()
		c := &checker{rep: &report{}}
		c.logs(lines, err, nil)
		if got := c.rep.Results[0].Seen; !strings.Contains(got, tc.want) {
			t.Errorf("logs %q: %q, want %q", tc.logs, got, tc.want)
		}
	}
}

// Usage errors exit 2 and say what was wrong; --list names every rule.
func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "want one URL"},
		{[]string{"ftp://x"}, `"ftp://x" is not an http or https URL`},
		{[]string{"--rule", "versoin", "http://127.0.0.1:1"}, "no rule or group versoin"},
		{[]string{"--timeout", "0s", "http://127.0.0.1:1"}, "--timeout and --budget must be positive"},
		{[]string{"--dockerfile", "testdata/none", "--logs", "x"}, "need the service's URL"},
		{[]string{"--dockerfile", "testdata/none"}, "no such file"},
	} {
		if code, _, errOut := runCLI("", tc.args...); code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	code, out, _ := runCLI("", "--list")
	if code != 0 || strings.Count(out, "\n") != len(rules) || !strings.Contains(out, "lbheartbeat.independent") {
		t.Errorf("--list: exit %d\n%s", code, out)
	}
}
