package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles the example once per test binary.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "svc")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestService runs the built example and checks it from outside: every
// endpoint, one JSON log line per request, and a clean exit on SIGTERM.
func TestService(t *testing.T) {
	bin := build(t)
	port := freePort(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "APP_DIR="+t.TempDir())
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := "http://127.0.0.1:" + strconv.Itoa(port)

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/__lbheartbeat__")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("service did not come up: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	get := func(path string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("X-Request-ID", "e2e"+strings.ReplaceAll(path, "/", "-"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	if code, body, _ := get("/__heartbeat__"); code != 200 || body != `{"status":"ok"}` {
		t.Errorf("heartbeat: %d %s", code, body)
	}
	if code, body, _ := get("/__lbheartbeat__"); code != 200 || body != "" {
		t.Errorf("lbheartbeat: %d %q", code, body)
	}
	code, body, _ := get("/__version__")
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); code != 200 || err != nil || v["source"] == nil || v["commit"] == nil {
		t.Errorf("version (from build info): %d %s", code, body)
	}
	if code, body, h := get("/hits"); code != 200 || body != "{\"hits\":1}\n" || h.Get("X-Request-ID") != "e2e-hits" {
		t.Errorf("hits: %d %q %v", code, body, h)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", err)
	}

	summaries := map[string]map[string]any{}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var line struct {
			Timestamp  int64
			Type       string
			Logger     string
			EnvVersion string
			Severity   int
			Fields     map[string]any
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Timestamp <= 0 || line.Logger != "example-nethttp" ||
			line.EnvVersion != "2.0" || len(line.Fields) == 0 {
			t.Errorf("not a mozlog line (%v): %q", err, sc.Text())
			continue
		}
		if line.Type == "request.summary" {
			rid, _ := line.Fields["rid"].(string)
			if _, dup := summaries[rid]; dup {
				t.Errorf("two summaries for %v", rid)
			}
			summaries[rid] = line.Fields
		}
	}
	for _, rid := range []string{"e2e-__heartbeat__", "e2e-__lbheartbeat__", "e2e-__version__", "e2e-hits"} {
		s, ok := summaries[rid]
		if !ok {
			t.Errorf("no request.summary for %s", rid)
			continue
		}
		if s["code"] != 200.0 || s["errno"] != 0.0 || s["method"] != "GET" {
			t.Errorf("summary %v", s)
		}
	}
}

// An invalid variable stops start-up with one line naming it.
func TestInvalidEnvironment(t *testing.T) {
	bin := build(t)
	for env, want := range map[string]string{
		"PORT=abc":                      `error: invalid PORT="abc": want a port number from 1 to 65535`,
		"DOCKERFLOW_CHECK_TIMEOUT=soon": `error: invalid DOCKERFLOW_CHECK_TIMEOUT="soon": want a non-negative duration such as "3s" or "500ms"`,
	} {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), env)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
			t.Errorf("%s: %v, want a non-zero exit", env, err)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s printed %q, want %q", env, got, want)
		}
	}
}
