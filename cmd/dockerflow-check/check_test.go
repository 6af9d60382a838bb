package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// standIn is a service written by hand for the checker to judge: good by
// default, each field breaking one part of the contract.
type standIn struct {
	versionBody      string        // the version object; a good one when empty
	lbPingsBackend   bool          // the lbheartbeat fails while the backend is down
	heartbeatHangs   time.Duration // the heartbeat sleeps this long
	slowWhileDown    time.Duration // the heartbeat sleeps this long while the backend is down
	heartbeatCode    int           // the heartbeat's status code, whatever its body
	plainTextLogs    bool          // logs a text line instead of mozlog
	skipSummaryFor   string        // a path whose requests get no summary
	downFile         string        // while this file exists, the backend is down
	cacheControl     string        // replaces no-store
	echoAnyRequestID bool          // echoes invalid request IDs too
	noEcho           bool          // echoes no request ID, though it logs it
	envVersion       string        // the logs' EnvVersion; 2.0 when empty

	mu  sync.Mutex
	out io.Writer // the log
}

const goodVersion = `{"source":"https://github.com/acme/notes","version":"v1.0.0","commit":"52ce614fbf99540a1bf6228e36be6cef63b4d73b","build":"https://ci.example/1"}`

func (s *standIn) down() bool {
	if s.downFile == "" {
		return false
	}
	_, err := os.Stat(s.downFile)
	return err == nil
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rid := r.Header.Get("X-Request-ID")
	if !s.echoAnyRequestID && (rid == "" || len(rid) > 128 || !isPrintableASCII(rid)) {
		rid = "generated-1"
	}
	if !s.noEcho {
		w.Header().Set("X-Request-ID", rid)
	}
	cc := "no-store"
	if s.cacheControl != "" {
		cc = s.cacheControl
	}
	w.Header().Set("Cache-Control", cc)
	code := s.answer(w, r)
	s.logSummary(r, rid, code, time.Since(start))
}

func (s *standIn) answer(w http.ResponseWriter, r *http.Request) int {
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch path {
	case "/__version__", "/__heartbeat__", "/__lbheartbeat__":
	default:
		w.WriteHeader(404)
		return 404
	}
	if r.Method != "GET" && r.Method != "HEAD" {
		w.Header().Set("Allow", "GET, HEAD")
		w.WriteHeader(405)
		return 405
	}
	write := func(code int, ct, body string) int {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(code)
		if r.Method == "GET" {
			_, _ = w.Write([]byte(body))
		}
		return code
	}
	switch path {
	case "/__version__":
		body := s.versionBody
		if body == "" {
			body = goodVersion
		}
		return write(200, "application/json", body)
	case "/__heartbeat__":
		time.Sleep(s.heartbeatHangs)
		code, status := 200, "ok"
		if s.down() {
			time.Sleep(s.slowWhileDown)
			code, status = 500, "error"
		}
		if s.heartbeatCode != 0 {
			code = s.heartbeatCode
		}
		return write(code, "application/json", `{"status":"`+status+`"}`)
	default:
		if s.lbPingsBackend && s.down() {
			return write(500, "", "")
		}
		return write(200, "", "")
	}
}

func (s *standIn) logSummary(r *http.Request, rid string, code int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plainTextLogs {
		fmt.Fprintf(s.out, "%s %s %d\n", r.Method, r.URL.Path, code)
		return
	}
	if s.skipSummaryFor != "" && r.URL.Path == s.skipSummaryFor {
		return
	}
	line, _ := json.Marshal(map[string]any{"Timestamp": time.Now().UnixNano(), "Type": "request.summary", "Logger": "stand-in",
		"Hostname": "h", "EnvVersion": cmp.Or(s.envVersion, "2.0"), "Severity": 6, "Pid": 1,
		"Fields": map[string]any{"rid": rid, "method": r.Method, "path": r.URL.Path, "code": code, "errno": 0, "t": d.Milliseconds(),
			"agent": r.UserAgent(), "lang": "", "uid": ""}})
	_, _ = s.out.Write(append(line, '\n'))
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// check runs the checker on the stand-in with args, its log (a file the
// stand-in writes as it answers, which the checker follows) given with
// --logs, and returns the exit status and the JSON report.
func check(t *testing.T, s *standIn, args ...string) (int, report) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "service.log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s.out = f
	srv := httptest.NewServer(s)
	defer srv.Close()
	args = append([]string{"--json", "--logs", logPath, "--logs-wait", "2s"}, args...)
	var out, errOut bytes.Buffer
	code := run(context.Background(), append(args, srv.URL), strings.NewReader(""), &out, &errOut)
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, report %q: %v\nstderr: %s", code, out.String(), err, errOut.String())
	}
	return code, rep
}

// verdicts returns each rule's verdict in rep.
func verdicts(rep report) map[string]string {
	m := map[string]string{}
	for _, r := range rep.Results {
		m[r.Rule] = r.Verdict
	}
	return m
}

// The good stand-in passes every HTTP and log rule.
func TestGoodService(t *testing.T) {
	code, rep := check(t, &standIn{})
	if code != 0 || rep.Counts[fail] != 0 {
		t.Errorf("exit %d: %+v", code, rep.Results)
	}
	for _, name := range ruleNames() {
		if v := verdicts(rep)[name]; !strings.HasPrefix(name, "dockerfile.") && v != pass {
			t.Errorf("%s: %q, want pass", name, v)
		}
	}
}

// A service that does not echo the request ID but logs it has accepted
// it: a pass with the logs, a warning without.
func TestRequestIDAccepted(t *testing.T) {
	code, rep := check(t, &standIn{noEcho: true})
	if v := verdicts(rep)[ruleRIDEcho]; code != 0 || v != pass {
		t.Errorf("with logs: exit %d, request-id.echo %q, want pass", code, v)
	}
	srv := httptest.NewServer(&standIn{noEcho: true, out: io.Discard})
	defer srv.Close()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--json", "--rule", "request-id", srv.URL}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Errorf("without logs: exit %d", code)
	}
	var r report
	_ = json.Unmarshal(out.Bytes(), &r)
	if v := verdicts(r)[ruleRIDEcho]; v != warn {
		t.Errorf("without logs: request-id.echo %q, want warn", v)
	}
}

// Each broken stand-in fails, with the rule that names what broke, and
// nothing else fails.
func TestBrokenServices(t *testing.T) {
	down := filepath.Join(t.TempDir(), "down")
	for _, tc := range []struct {
		name  string
		s     *standIn
		args  []string
		rules []string // the rules that must fail, and only they
	}{
		{"lbheartbeat pings a dead backend", &standIn{lbPingsBackend: true, downFile: down},
			[]string{"--while-down", "touch " + down}, []string{ruleLBIndependent}},
		{"heartbeat waits on a dead backend", &standIn{downFile: down, slowWhileDown: 700 * time.Millisecond},
			[]string{"--while-down", "touch " + down, "--budget", "300ms"}, []string{ruleHeartbeatLatency}},
		{"heartbeat hangs", &standIn{heartbeatHangs: 3 * time.Second},
			[]string{"--budget", "300ms", "--timeout", "1s", "--rule", "heartbeat"}, []string{ruleHeartbeatLatency}},
		{"version.json without commit", &standIn{versionBody: `{"source":"https://github.com/acme/notes","version":"v1","build":""}`},
			nil, []string{ruleVersionFields}},
		{"a commit that is no commit", &standIn{versionBody: `{"source":"https://github.com/acme/notes","version":"v1","commit":"main","build":""}`},
			nil, []string{ruleVersionCommit}},
		{"heartbeat code disagrees with its body", &standIn{heartbeatCode: 503}, nil, []string{ruleHeartbeatStatus}},
		{"plain-text logs", &standIn{plainTextLogs: true}, nil, []string{ruleLogsMozlog, ruleLogsSummary}},
		{"a summary missing", &standIn{skipSummaryFor: "/__version__"}, nil, []string{ruleLogsSummary}},
		{"cacheable answers", &standIn{cacheControl: "max-age=60"}, nil, []string{ruleNoStore}},
		{"invalid request IDs echoed", &standIn{echoAnyRequestID: true}, nil, []string{ruleRIDInvalid}},
		{"another log schema", &standIn{envVersion: "1.0"}, nil, []string{ruleLogsMozlog, ruleLogsSummary}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(down)
			code, rep := check(t, tc.s, tc.args...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			want := map[string]bool{}
			for _, r := range tc.rules {
				want[r] = true
			}
			failed := map[string]bool{}
			for _, r := range rep.Results {
				if r.Verdict != fail {
					continue
				}
				failed[r.Rule] = true
				if !want[r.Rule] {
					t.Errorf("%s: %s (%s), want fail only for %v", r.Rule, r.Verdict, r.Seen, tc.rules)
				}
				if r.Reason == "" || !strings.HasPrefix(r.Link, "https://") {
					t.Errorf("%s has no reason or link: %+v", r.Rule, r)
				}
			}
			for r := range want {
				if !failed[r] {
					t.Errorf("%s did not fail: %+v", r, rep.Results)
				}
			}
		})
	}
}
