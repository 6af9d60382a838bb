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
// default, each field breaking one part of the contract, or doing as
// python-dockerflow does where this project asks more (pythonLike).
type standIn struct {
	versionBody      string        // the version object; a good one when empty
	noVersionRoute   bool          // /__version__ is 404, as any unknown path
	lbPingsBackend   bool          // the lbheartbeat fails while the backend is down
	lbBody           string        // the lbheartbeat's body
	heartbeatHangs   time.Duration // the heartbeat sleeps this long
	slowWhileDown    time.Duration // the heartbeat sleeps this long while the backend is down
	heartbeatCode    int           // the heartbeat's status code, whatever its body
	heartbeatBody    string        // replaces the heartbeat's body
	okWhileDown      bool          // the heartbeat stays 200 while the backend is down, and says so in its body
	details          bool          // the heartbeat shows checks and details
	slashRedirect    bool          // a trailing slash is redirected to another host
	slash404         bool          // a trailing slash is not served
	errorCode        int           // /__error__'s status; 0: not served
	errorNoErrno     bool          // /__error__'s summary has errno 0
	plainTextLogs    bool          // logs a text line instead of mozlog
	skipSummaryFor   string        // a path whose requests get no summary
	downFile         string        // while this file exists, the backend is down
	cacheControl     string        // replaces no-store
	echoAnyRequestID bool          // echoes invalid request IDs too
	noEcho           bool          // echoes no request ID, though it logs it
	keepInvalid      bool          // logs invalid request IDs as sent
	envVersion       string        // the logs' EnvVersion; 2.0 when empty
	timeKey          bool          // each line has a Time key too, as mozlogrus writes
	noCode           bool          // summaries without code, as python-dockerflow's
	checkWarns       bool          // a check warns, logged with its ID unless silentCheck
	silentCheck      bool

	mu  sync.Mutex
	out io.Writer // the log
}

// pythonLike is a stand-in that does what python-dockerflow's Flask
// integration does: no Cache-Control, no echo of the request ID (nor any
// check of it), 404 with a trailing slash, checks and details (empty) in
// the heartbeat, /__error__ served, summaries without code.
func pythonLike() *standIn {
	return &standIn{cacheControl: "-", noEcho: true, keepInvalid: true, slash404: true, errorCode: 500, noCode: true, heartbeatBody: `{"checks":{},"details":{},"status":"ok"}`}
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
	if !s.echoAnyRequestID && !s.keepInvalid && (rid == "" || len(rid) > 128 || !isPrintableASCII(rid)) {
		rid = "generated-1"
	}
	if !s.noEcho {
		w.Header().Set("X-Request-ID", rid)
	}
	switch cc := cmp.Or(s.cacheControl, "no-store"); cc {
	case "-":
	default:
		w.Header().Set("Cache-Control", cc)
	}
	code := s.answer(w, r, rid)
	s.logSummary(r, rid, code, time.Since(start))
}

func (s *standIn) answer(w http.ResponseWriter, r *http.Request, rid string) int {
	path := r.URL.Path
	if strings.HasSuffix(path, "/") {
		switch {
		case s.slashRedirect:
			w.Header().Set("Location", "https://elsewhere.example"+path)
			w.WriteHeader(302)
			return 302
		case s.slash404 && path != "/":
			w.WriteHeader(404)
			return 404
		}
		path = strings.TrimSuffix(path, "/")
	}
	switch path {
	case "/__version__", "/__heartbeat__", "/__lbheartbeat__", "/__error__", "/app/hello":
	default:
		w.WriteHeader(404)
		return 404
	}
	if path == "/__version__" && s.noVersionRoute || path == "/__error__" && s.errorCode == 0 {
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
		if s.checkWarns {
			status = "warning"
			if !s.silentCheck {
				s.logLine("dockerflow.heartbeat", rid, map[string]any{"id": "acme.W001", "msg": "cache is cold"})
			}
		}
		if s.down() {
			time.Sleep(s.slowWhileDown)
			code, status = 500, "error"
			if s.okWhileDown {
				code = 200
			}
		}
		if s.heartbeatCode != 0 {
			code = s.heartbeatCode
		}
		body := `{"status":"` + status + `"}`
		if s.details {
			body = `{"status":"` + status + `","checks":{"db":"` + status + `"},"details":{}}`
		}
		return write(code, "application/json", cmp.Or(s.heartbeatBody, body))
	case "/__error__":
		s.logLine("dockerflow.error", rid, map[string]any{"msg": "The __error__ endpoint was called"})
		return write(s.errorCode, "text/plain", "Internal Server Error")
	case "/app/hello":
		return write(200, "text/plain", "hello")
	default:
		if s.lbPingsBackend && s.down() {
			return write(500, "", "")
		}
		return write(200, "", s.lbBody)
	}
}

// logLine writes a mozlog line of the given type, with the request's rid.
func (s *standIn) logLine(typ, rid string, fields map[string]any) {
	fields["rid"] = rid
	s.write(typ, 6, fields)
}

func (s *standIn) write(typ string, severity int, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plainTextLogs {
		fmt.Fprintf(s.out, "%s %v\n", typ, fields)
		return
	}
	line := map[string]any{"Timestamp": time.Now().UnixNano(), "Type": typ, "Logger": "stand-in",
		"Hostname": "h", "EnvVersion": cmp.Or(s.envVersion, "2.0"), "Severity": severity, "Pid": 1, "Fields": fields}
	if s.timeKey {
		line["Time"] = time.Now().Format(time.RFC3339)
	}
	b, _ := json.Marshal(line)
	_, _ = s.out.Write(append(b, '\n'))
}

func (s *standIn) logSummary(r *http.Request, rid string, code int, d time.Duration) {
	if s.skipSummaryFor != "" && r.URL.Path == s.skipSummaryFor {
		return
	}
	fields := map[string]any{"rid": rid, "method": r.Method, "path": r.URL.Path, "code": code, "errno": 0, "t": d.Milliseconds(),
		"agent": r.UserAgent(), "lang": "", "uid": ""}
	if s.noCode {
		delete(fields, "code")
	}
	severity := 6
	if code >= 500 && r.URL.Path == "/__error__" {
		severity = 3
		fields["errno"], fields["error"], fields["traceback"] = 500, "Exception: test", "Traceback (most recent call last): ..."
		if s.errorNoErrno {
			fields["errno"] = 0
		}
	}
	s.write("request.summary", severity, fields)
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
	args = append([]string{"--format", "json", "--logs", logPath, "--logs-wait", "1s"}, args...)
	var out, errOut bytes.Buffer
	code := run(context.Background(), append(args, srv.URL), strings.NewReader(""), &out, &errOut)
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, report %q: %v\nstderr: %s", code, out.String(), err, errOut.String())
	}
	return code, rep
}

// verdicts returns each rule's verdict in rep (the worst, for a rule
// judged twice).
func verdicts(rep report) map[string]string {
	rank := map[string]int{pass: 0, warn: 1, fail: 2}
	m := map[string]string{}
	for _, r := range rep.Results {
		if v, ok := m[r.Rule]; !ok || rank[r.Verdict] > rank[v] {
			m[r.Rule] = r.Verdict
		}
	}
	return m
}

// summarize is a report in a line per rule, for test failures.
func summarize(rep report) string {
	var b strings.Builder
	for _, r := range rep.Results {
		fmt.Fprintf(&b, "\n  %s %s: %s", r.Verdict, r.Rule, r.Seen)
	}
	return b.String()
}

// The good stand-in passes every rule it is judged by, in both profiles.
func TestGoodService(t *testing.T) {
	for _, p := range []string{"dockerflow", "strict"} {
		code, rep := check(t, &standIn{errorCode: 500}, "--profile", p, "--path", "/app/hello")
		if code != 0 {
			t.Errorf("%s: exit %d%s", p, code, summarize(rep))
		}
		for rule, v := range verdicts(rep) {
			if v != pass {
				t.Errorf("%s: %s %q, want pass%s", p, rule, v, summarize(rep))
			}
		}
		for _, rule := range []string{ruleErrorEndpoint, ruleErrorTrace, ruleLogsRID, ruleLogsSummaryApp, ruleLogsEnvelope, ruleLBBody, ruleHeartbeatDetails} {
			if _, ok := verdicts(rep)[rule]; !ok {
				t.Errorf("%s: %s not judged", p, rule)
			}
		}
	}
}

// A service that behaves as python-dockerflow does passes the default
// profile, warning only where this project asks more, and fails the
// strict one on exactly those rules.
func TestPythonLikeService(t *testing.T) {
	stricter := []string{ruleNoStore, ruleMethodsSlash, ruleRIDEcho, ruleRIDInvalid}
	code, rep := check(t, pythonLike())
	if code != 0 {
		t.Errorf("dockerflow profile: exit %d%s", code, summarize(rep))
	}
	got := verdicts(rep)
	for _, r := range stricter {
		if got[r] != warn {
			t.Errorf("dockerflow profile: %s %q, want warn%s", r, got[r], summarize(rep))
		}
	}
	for _, res := range rep.Results {
		if res.Verdict == warn && !strings.Contains(res.Seen, "this project's recommendation") && res.Rule != ruleLBIndependent {
			t.Errorf("dockerflow profile: the warning of %s does not say it is this project's recommendation: %q", res.Rule, res.Seen)
		}
	}
	code, rep = check(t, pythonLike(), "--profile", "strict")
	if code != 1 {
		t.Errorf("strict profile: exit %d, want 1", code)
	}
	got = verdicts(rep)
	for _, r := range stricter {
		if got[r] != fail {
			t.Errorf("strict profile: %s %q, want fail%s", r, got[r], summarize(rep))
		}
	}
}

// A service that does not echo the request ID but logs it has kept it:
// the logs say so; without them the warning says --logs would tell, and
// never with them (a bug: it said so when --logs was given).
func TestRequestIDAccepted(t *testing.T) {
	_, rep := check(t, &standIn{noEcho: true})
	for _, r := range rep.Results {
		if r.Rule == ruleRIDEcho && (!strings.Contains(r.Seen, "kept: its summary has it") || strings.Contains(r.Seen, "--logs would")) {
			t.Errorf("with logs: %q", r.Seen)
		}
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
	// Invalid IDs on a service that echoes none prove nothing without
	// the logs (a bug: it passed); with them, an ID logged as sent fails.
	if v := verdicts(r)[ruleRIDInvalid]; v != warn {
		t.Errorf("without logs: request-id.invalid %q, want warn (not exercised)%s", v, summarize(r))
	}
	code, rep := check(t, &standIn{noEcho: true, keepInvalid: true}, "--profile", "strict")
	if v := verdicts(rep)[ruleRIDInvalid]; code != 1 || v != fail {
		t.Errorf("invalid IDs kept, with logs: exit %d, %q, want fail%s", code, v, summarize(rep))
	}
}

// The heartbeat's body: "unknown" is a level (a bug: it failed), a level
// that disagrees is shown as a number (a bug: a pointer), and a 500 whose
// body is not JSON fails no rule of the contract (a bug: it failed the
// status code too).
func TestHeartbeatBody(t *testing.T) {
	code, rep := check(t, &standIn{heartbeatBody: `{"status":"unknown"}`}, "--rule", "heartbeat")
	if v := verdicts(rep); code != 0 || v[ruleHeartbeatBody] != pass || v[ruleHeartbeatStatus] != pass {
		t.Errorf("unknown: exit %d%s", code, summarize(rep))
	}
	_, rep = check(t, &standIn{heartbeatBody: `{"status":"ok","details":{"db":{"status":"ok","level":30}}}`}, "--rule", "heartbeat")
	for _, r := range rep.Results {
		if r.Rule == ruleHeartbeatBody && (r.Verdict != fail || !strings.Contains(r.Seen, `status "ok" with level 30`)) {
			t.Errorf("a level that disagrees: %s %q", r.Verdict, r.Seen)
		}
	}
	code, rep = check(t, &standIn{heartbeatCode: 500, heartbeatBody: "database down"}, "--rule", "heartbeat")
	if v := verdicts(rep); code != 0 || v[ruleHeartbeatStatus] != pass || v[ruleHeartbeatBody] != warn {
		t.Errorf("500 with a text body: exit %d%s", code, summarize(rep))
	}
}

// A heartbeat kept at 200 by design while a backend is down, which says
// so in its body, shows the lbheartbeat's independence (a bug: it was
// "broke nothing"); --restore runs after, whatever happened.
func TestWhileDownBodyAndRestore(t *testing.T) {
	dir := t.TempDir()
	down, restored := filepath.Join(dir, "down"), filepath.Join(dir, "restored")
	code, rep := check(t, &standIn{downFile: down, okWhileDown: true},
		"--while-down", "touch "+down, "--restore", "rm "+down+" && touch "+restored)
	if code != 0 {
		t.Errorf("exit %d%s", code, summarize(rep))
	}
	for _, r := range rep.Results {
		if r.Rule == ruleLBIndependent && strings.Contains(r.Seen, "during --while-down") && r.Verdict != pass {
			t.Errorf("lbheartbeat.independent during --while-down: %s %q", r.Verdict, r.Seen)
		}
	}
	if _, err := os.Stat(restored); err != nil {
		t.Error("--restore did not run")
	}
	if _, err := os.Stat(down); err == nil {
		t.Error("the backend is still down after --restore")
	}
	// The command failing, and the run interrupted: restore runs.
	os.Remove(restored)
	check(t, &standIn{}, "--while-down", "exit 3", "--restore", "touch "+restored)
	if _, err := os.Stat(restored); err != nil {
		t.Error("--restore did not run after --while-down failed")
	}
	os.Remove(restored)
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(&standIn{out: io.Discard})
	defer srv.Close()
	go func() { time.Sleep(200 * time.Millisecond); cancel() }() // Ctrl-C while the command runs
	run(ctx, []string{"--while-down", "sleep 5", "--restore", "touch " + restored, srv.URL}, strings.NewReader(""), io.Discard, io.Discard)
	if _, err := os.Stat(restored); err != nil {
		t.Error("--restore did not run after Ctrl-C")
	}
}

// Each broken stand-in fails under the strict profile, with the rule that
// names what broke, and nothing else fails; under the default profile,
// only the rules of the published contract fail.
func TestBrokenServices(t *testing.T) {
	down := filepath.Join(t.TempDir(), "down")
	for _, tc := range []struct {
		name  string
		s     *standIn
		args  []string
		rules []string // the rules that must fail, and only they
	}{
		{"lbheartbeat pings a dead backend (iprepd)", &standIn{lbPingsBackend: true, downFile: down},
			[]string{"--while-down", "touch " + down}, []string{ruleLBIndependent}},
		{"heartbeat waits on a dead backend (iprepd, autograph)", &standIn{downFile: down, slowWhileDown: 700 * time.Millisecond},
			[]string{"--while-down", "touch " + down, "--budget", "300ms"}, []string{ruleHeartbeatLatency}},
		{"heartbeat gives no answer while a backend is silent (iprepd)", &standIn{downFile: down, slowWhileDown: 2 * time.Second},
			[]string{"--while-down", "touch " + down, "--timeout", "500ms"}, []string{ruleHeartbeatLatency, ruleHeartbeatStatus}},
		{"heartbeat hangs", &standIn{heartbeatHangs: 2 * time.Second},
			[]string{"--budget", "300ms", "--timeout", "500ms", "--rule", "heartbeat"}, []string{ruleHeartbeatLatency, ruleHeartbeatStatus}},
		{"version.json without commit", &standIn{versionBody: `{"source":"https://github.com/acme/notes","version":"v1","build":""}`},
			nil, []string{ruleVersionFields}},
		{"a commit that is no commit", &standIn{versionBody: `{"source":"https://github.com/acme/notes","version":"v1","commit":"main","build":""}`},
			nil, []string{ruleVersionCommit}},
		{"no version route (cloudops-deployment-proxy)", &standIn{noVersionRoute: true}, nil, []string{ruleVersionStatus}},
		{"version 200 null (FastAPI without version.json)", &standIn{versionBody: "null"}, nil, []string{ruleVersionStatus}},
		{"version 200 empty (iprepd)", &standIn{versionBody: " "}, nil, []string{ruleVersionStatus}},
		{"heartbeat code disagrees with its body", &standIn{heartbeatCode: 503}, nil, []string{ruleHeartbeatStatus}},
		{"heartbeat details shown", &standIn{details: true}, nil, []string{ruleHeartbeatDetails}},
		{"lbheartbeat with a body", &standIn{lbBody: "OK"}, nil, []string{ruleLBBody}},
		{"a trailing slash redirected to another host (go-bouncer)", &standIn{slashRedirect: true}, nil, []string{ruleMethodsSlash}},
		{"/__error__ answers 200", &standIn{errorCode: 200}, nil, []string{ruleErrorEndpoint}},
		{"/__error__ logged without errno 500", &standIn{errorCode: 500, errorNoErrno: true}, nil, []string{ruleErrorEndpoint}},
		{"a warning check logged without its ID", &standIn{checkWarns: true, silentCheck: true}, nil, []string{ruleLogsCheckIDs}},
		{"plain-text logs (iprepd)", &standIn{plainTextLogs: true}, nil, []string{ruleLogsMozlog, ruleLogsSummary}},
		{"a summary missing", &standIn{skipSummaryFor: "/__version__"}, nil, []string{ruleLogsSummary}},
		{"no summary for the application's route", &standIn{skipSummaryFor: "/app/hello"}, []string{"--path", "/app/hello"}, []string{ruleLogsSummaryApp}},
		{"cacheable answers", &standIn{cacheControl: "max-age=60"}, nil, []string{ruleNoStore}},
		{"invalid request IDs echoed", &standIn{echoAnyRequestID: true}, nil, []string{ruleRIDInvalid}},
		{"another log schema", &standIn{envVersion: "1.0"}, nil, []string{ruleLogsEnvelope}},
		{"a Time key beside the envelope (mozlogrus)", &standIn{timeKey: true}, nil, []string{ruleLogsEnvelope}},
		{"the deployed commit drifted", &standIn{}, []string{"--expect-commit", "0123456"}, []string{ruleVersionExpected}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []profile{profileStrict, profileDockerflow} {
				os.Remove(down)
				code, rep := check(t, tc.s, append([]string{"--profile", string(p)}, tc.args...)...)
				want := map[string]bool{}
				for _, r := range tc.rules {
					if p == profileStrict || rules[r].from != fromProject {
						want[r] = true
					}
				}
				if wantCode := map[bool]int{true: 1, false: 0}[len(want) > 0]; code != wantCode {
					t.Errorf("%s: exit %d, want %d%s", p, code, wantCode, summarize(rep))
				}
				failed := map[string]bool{}
				for _, r := range rep.Results {
					if r.Verdict != fail {
						continue
					}
					failed[r.Rule] = true
					if !want[r.Rule] {
						t.Errorf("%s: %s failed (%s), want fail only for %v", p, r.Rule, r.Seen, tc.rules)
					}
					if r.Reason == "" || !strings.HasPrefix(r.Link, "https://") || r.Source == "" {
						t.Errorf("%s has no reason, source or link: %+v", r.Rule, r)
					}
				}
				for r := range want {
					if !failed[r] {
						t.Errorf("%s: %s did not fail%s", p, r, summarize(rep))
					}
				}
			}
		})
	}
}
