package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
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
		tail := tail(strings.NewReader(tc.logs), false, "run-")
		<-tail.done
		c := &checker{rep: &report{}}
		c.logs(tail.close(), nil)
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

// --logs keeps what the run needs, whatever arrives (issue 33: 20,000
// hostile 16 KB summaries on stdin took 428 MB): the memory held after
// reading them is bounded, and the run's own summaries are still found.
func TestLogsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 320 MB of log")
	}
	const run = "dockerflow-check-0123456789abcdef-"
	pr, pw := io.Pipe()
	go func() {
		big := strings.Repeat("x", 16<<10)
		for i := 0; i < 20000; i++ {
			rid := fmt.Sprintf("other-%d", i)
			switch i % 4 {
			case 1:
				rid = run + "1" // the run's: kept, but only twice
			case 2:
				rid = run + strconv.Itoa(100000+i) // the run's shape, far past its budget
			}
			fmt.Fprintf(pw, `{"Timestamp":1,"Type":"request.summary","Logger":"x","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":1,"Fields":{"rid":%q,"method":"GET","path":"/%s","code":200,"t":1,"agent":%q}}`+"\n", rid, big[:2000], big)
		}
		fmt.Fprintf(pw, `{"Timestamp":1,"Type":"request.summary","Logger":"x","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":1,"Fields":{"rid":%q,"method":"GET","path":"/__version__","code":200,"t":1}}`+"\n", run+"2")
		pw.Close()
	}()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tail := tail(pr, false, run)
	<-tail.done
	read := tail.close()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if held > 16<<20 {
		t.Errorf("%d MB held after reading the log, want at most 16", held>>20)
	}
	if read.lines != 20001 || read.count(run+"1") != 5000 || read.count(run+"2") != 1 || len(read.summaries) > 3 {
		t.Errorf("%d lines, %d summaries of %s1, %d of %s2, %d rids kept", read.lines, read.count(run+"1"), run, read.count(run+"2"), run, len(read.summaries))
	}
	runtime.KeepAlive(read)
}
