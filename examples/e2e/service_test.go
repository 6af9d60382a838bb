package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// bin holds the binaries TestMain builds.
var bin = map[string]string{}

var examples = []string{"nethttp", "chi", "echo", "gin"}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dockerflow-e2e-")
	if err != nil {
		panic(err)
	}
	for _, name := range append(examples, "grpc", "cmd/versionjson") {
		out := filepath.Join(dir, filepath.Base(name))
		if b, err := exec.Command("go", "build", "-o", out, "../"+name).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", name, err, b)
			os.Exit(1)
		}
		bin[name] = out
	}
	// The conformance checker, a module of its own, built in the
	// workspace, as it has no replace directives (see the Makefile).
	checker := filepath.Join(dir, "dockerflow-check")
	work, _ := filepath.Abs("../../go.work")
	build := exec.Command("go", "-C", "../../cmd/dockerflow-check", "build", "-o", checker, ".")
	build.Env = append(os.Environ(), "GOWORK="+work)
	if b, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building dockerflow-check: %v\n%s", err, b)
		os.Exit(1)
	}
	bin["dockerflow-check"] = checker
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// service is a running example.
type service struct {
	t        *testing.T
	cmd      *exec.Cmd
	base     string
	stdout   dockerflowtest.Buffer
	stderr   dockerflowtest.Buffer
	mu       sync.Mutex
	rids     []string // the request ID of every request answered
	exited   chan struct{}
	exitErr  error
	exitedAt time.Time // when the process exited, set before exited is closed
	seq      int
	stopOnce sync.Once
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs an example with env (and a free PORT) and waits until it
// answers /__lbheartbeat__.
func start(t *testing.T, example string, env ...string) *service {
	t.Helper()
	return startLogged(t, example, nil, env...)
}

// startLogged is start, the example's standard output copied to log too
// when it is not nil.
func startLogged(t *testing.T, example string, log io.Writer, env ...string) *service {
	t.Helper()
	port := freePort(t)
	s := &service{t: t, base: "http://127.0.0.1:" + strconv.Itoa(port), exited: make(chan struct{})}
	s.cmd = exec.Command(bin[example])
	// No drain delay unless a test asks for one: every test stops its
	// services with SIGTERM.
	s.cmd.Env = append(append(os.Environ(), "PORT="+strconv.Itoa(port), "DOCKERFLOW_DRAIN_DELAY=0"), env...)
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if log != nil {
		s.cmd.Stdout = io.MultiWriter(&s.stdout, log)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exitErr = s.cmd.Wait(); s.exitedAt = time.Now(); close(s.exited) }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", s.stdout.String(), s.stderr.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-s.exited:
			t.Fatalf("%s exited at start: %v\n%s", example, s.exitErr, s.stderr.String())
		default:
		}
		if code, _, _ := s.try("GET", "/__lbheartbeat__", nil); code == 200 {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer within 20s", example)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// try sends a request with a fresh request ID; code 0 when it got no
// answer.
func (s *service) try(method, path string, body io.Reader, header ...string) (int, string, http.Header) {
	s.mu.Lock()
	s.seq++
	rid := fmt.Sprintf("e2e-%d", s.seq)
	s.mu.Unlock()
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("X-Request-ID", rid)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	s.mu.Lock()
	s.rids = append(s.rids, rid)
	s.mu.Unlock()
	if got := resp.Header.Get("X-Request-ID"); got != rid {
		s.t.Errorf("%s %s: X-Request-ID %q, want %q", method, path, got, rid)
	}
	return resp.StatusCode, string(b), resp.Header
}

// do is try, failing the test when there is no answer.
func (s *service) do(method, path string, body io.Reader, header ...string) (int, string) {
	s.t.Helper()
	code, b, _ := s.try(method, path, body, header...)
	if code == 0 {
		s.t.Fatalf("%s %s: no answer", method, path)
	}
	return code, b
}

// want checks one request's status and body.
func (s *service) want(method, path string, body io.Reader, code int, want string, header ...string) {
	s.t.Helper()
	gotCode, got := s.do(method, path, body, header...)
	if gotCode != code || got != want {
		s.t.Errorf("%s %s = %d %q, want %d %q", method, path, gotCode, got, code, want)
	}
}

// stop sends SIGTERM and waits for the exit, which must be clean.
func (s *service) stop() {
	s.t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.t.Fatal("no exit within 30s of SIGTERM")
	}
	if s.exitErr != nil {
		s.t.Errorf("exit after SIGTERM: %v, want status 0", s.exitErr)
	}
}

// logLines checks every stdout line is mozlog and returns them decoded.
func (s *service) logLines() []map[string]any {
	s.t.Helper()
	var out []map[string]any
	for _, line := range strings.SplitAfter(s.stdout.String(), "\n") {
		if line == "" {
			continue
		}
		if err := mozlog.Check([]byte(line)); err != nil {
			s.t.Errorf("%v: %q", err, line)
			continue
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(line), &m)
		out = append(out, m)
	}
	return out
}

// checkSummaries checks there is exactly one request.summary per request
// answered, by request ID, and returns them by request ID.
func (s *service) checkSummaries() map[string]map[string]any {
	s.t.Helper()
	got := map[string]map[string]any{}
	for _, line := range s.logLines() {
		if line["Type"] != "request.summary" {
			continue
		}
		f := line["Fields"].(map[string]any)
		rid, _ := f["rid"].(string)
		if _, dup := got[rid]; dup {
			s.t.Errorf("two summaries for request %s", rid)
		}
		got[rid] = f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rid := range s.rids {
		if _, ok := got[rid]; !ok {
			s.t.Errorf("no summary for request %s", rid)
		}
	}
	if len(got) != len(s.rids) {
		s.t.Errorf("%d summaries for %d requests", len(got), len(s.rids))
	}
	return got
}
