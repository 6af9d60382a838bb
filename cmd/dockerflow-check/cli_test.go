package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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
	// Three shapes it misread: the build context copied whole into /app
	// (with the version.json CI writes), ADD version.json /app, and the
	// user and group made with options after the name, in exec form or
	// with =.
	for _, f := range []string{"testdata/python.Dockerfile", "testdata/add.Dockerfile"} {
		if code, out, _ := runCLI("", "--dockerfile", f); code != 0 || strings.Count(out, "PASS") != 4 {
			t.Errorf("%s: exit %d\n%s", f, code, out)
		}
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
		{good + "listening on :8000\n", "1 of 2 lines are not: line 2: not a JSON object"},
		{good + good[:40], "1 of 2 lines are not: line 2: not a line ending in a newline"},
		{`{"Timestamp":1.5,"Type":"x"}` + "\n", "line 1: no integer Timestamp"},
		{`{"Timestamp":1,"Type":"x","Severity":9}` + "\n", "line 1: Severity is not an integer from 0 to 7"},
		{`{"Timestamp":1,"Type":"x","Time":"2026-12-07T10:00:00Z"}` + "\n", "1 lines, all mozlog"},
		{good, "1 lines, all mozlog"},
	} {
		tail := tail(strings.NewReader(tc.logs), false, "run-")
		<-tail.done
		c := &checker{rep: &report{Profile: profileDockerflow}}
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
		{[]string{"--profile", "lax", "http://127.0.0.1:1"}, `--profile "lax": want dockerflow or strict`},
		{[]string{"--format", "xml", "http://127.0.0.1:1"}, `--format "xml": want text, json or junit`},
		{[]string{"--restore", "true", "http://127.0.0.1:1"}, "--restore mends what --while-down breaks"},
		{[]string{"--expect-commit", "abc", "http://127.0.0.1:1"}, "--expect-commit \"abc\": want a git hash"},
		{[]string{"--path", "app", "http://127.0.0.1:1"}, `"app" is not a path starting with /`},
		{[]string{"--manifests", "testdata/none"}, "no such file"},
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
	if code != 0 || strings.Count(out, "\n") != len(rules) || !strings.Contains(out, "lbheartbeat.independent") ||
		!strings.Contains(out, "(this project's recommendation)") || !strings.Contains(out, "(Dockerflow's README)") {
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

// The checker's image runs the binary alone, as a user that is not root;
// the CI snippets in docs/ci are YAML that run it with --wait and a JUnit
// report.
func TestDistribution(t *testing.T) {
	f, err := os.Open("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ins, err := parseDockerfile(f)
	if err != nil {
		t.Fatal(err)
	}
	var final []instruction
	build := false
	for i, in := range ins {
		if in.cmd == "FROM" {
			final = ins[i:]
		}
		build = build || in.cmd == "RUN" && strings.Contains(in.args, "go build") && strings.Contains(in.args, "./cmd/dockerflow-check")
	}
	if len(final) == 0 || final[0].args != "scratch" || !build {
		t.Errorf("Dockerfile: final stage %v, builds the checker %v", final, build)
	}
	var user, entry string
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entry = in.args
		}
	}
	if user == "" || strings.HasPrefix(user, "0") || user == "root" || entry != `["/dockerflow-check"]` {
		t.Errorf("Dockerfile: USER %q, ENTRYPOINT %q", user, entry)
	}
	for _, name := range []string{"../../docs/ci/github-actions.yml", "../../docs/ci/gitlab-ci.yml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil || len(doc) == 0 {
			t.Errorf("%s: not YAML: %v", name, err)
		}
		for _, want := range []string{"dockerflow-check@latest", "--format junit", "--wait", "--logs", "junit"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s does not say %q", name, want)
			}
		}
	}
}
