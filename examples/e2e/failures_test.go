package e2e

import (
	"bufio"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// On every example, failures stay inside the mozlog stream: /__error__
// (a panic on net/http, chi and gin, an error on echo) logs its summary at
// error level and nothing on stderr; and a request still running when
// the shutdown gives up still gets its summary before the process exits.
func TestFailuresStayInMozlog(t *testing.T) {
	for _, example := range examples {
		t.Run(example, func(t *testing.T) {
			dir, _ := versionDir(t)
			s := start(t, example, "APP_DIR="+dir, "DATABASE_URL=", "REDIS_URL=",
				"DOCKERFLOW_ENABLE_ERROR_ENDPOINT=true", "DOCKERFLOW_SHUTDOWN_TIMEOUT=1s")
			if code, _ := s.do("GET", "/__error__", nil); code != 500 {
				t.Errorf("/__error__: %d, want 500", code)
			}

			// A request whose body never ends holds the shutdown up. With
			// Expect: 100-continue, the server's "100 Continue" says the
			// handler has started reading it.
			conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_, _ = io.WriteString(conn, "PUT /notes/stuck HTTP/1.1\r\nHost: x\r\nX-Request-ID: stuck-1\r\n"+
				"Content-Length: 100\r\nExpect: 100-continue\r\n\r\n")
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
				t.Fatalf("no 100 Continue: %q %v", line, err)
			}
			_, _ = io.WriteString(conn, "never finished")
			_ = s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(30 * time.Second):
				t.Fatal("no exit within 30s of SIGTERM")
			}
			// The shutdown did what it could: exit 0, nothing on stderr,
			// the request cut short logged, and the end said in mozlog.
			if s.exitErr != nil {
				t.Errorf("exit %v after a shutdown that cut a request short, want 0", s.exitErr)
			}
			if errOut := s.stderr.String(); errOut != "" {
				t.Errorf("stderr %q, want nothing", errOut)
			}
			if !strings.Contains(s.stdout.String(), "waiting up to 1s for 1 request in flight") || !strings.Contains(s.stdout.String(), `"msg":"stopped: `) {
				t.Errorf("the lifecycle lines do not say the shutdown waited for the request and stopped")
			}

			var errorSummary, stuckSummary map[string]any
			for _, line := range s.logLines() { // every line is mozlog
				if line["Type"] != "request.summary" {
					continue
				}
				f := line["Fields"].(map[string]any)
				switch {
				case f["path"] == "/__error__":
					errorSummary = line
				case f["rid"] == "stuck-1":
					if stuckSummary != nil {
						t.Error("two summaries for the request cut short")
					}
					stuckSummary = line
				}
			}
			if errorSummary == nil || errorSummary["Severity"] != float64(3) {
				t.Errorf("/__error__ summary %v, want one at error level (Severity 3)", errorSummary)
			}
			if stuckSummary == nil {
				t.Error("the request cut short by the shutdown has no summary")
			}
		})
	}
}
