package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// --format junit writes JUnit XML, one testcase per rule judged, a
// failure for each failed rule; --json stays an alias of --format json.
func TestJUnit(t *testing.T) {
	srv := httptest.NewServer(&standIn{cacheControl: "max-age=60", out: io.Discard})
	defer srv.Close()
	var out bytes.Buffer
	code := run(context.Background(), []string{"--format", "junit", "--profile", "strict", srv.URL}, strings.NewReader(""), &out, io.Discard)
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Class   string `xml:"classname,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out.String())
	}
	if code != 1 || len(doc.Suites) != 1 || doc.Failures != 1 || doc.Tests != len(doc.Suites[0].Cases) || doc.Tests < 15 {
		t.Fatalf("exit %d, %d tests, %d failures\n%s", code, doc.Tests, doc.Failures, out.String())
	}
	names := map[string]bool{}
	for _, c := range doc.Suites[0].Cases {
		if names[c.Name] {
			t.Errorf("rule %s has two testcases", c.Name)
		}
		names[c.Name] = true
		if (c.Failure != nil) != (c.Name == ruleNoStore) {
			t.Errorf("%s: failure %+v", c.Name, c.Failure)
		}
		if c.Failure != nil && (!strings.Contains(c.Failure.Text, `"max-age=60"`) || !strings.Contains(c.Failure.Message, "https://")) {
			t.Errorf("%s: failure %+v, want what was seen and the link", c.Name, c.Failure)
		}
	}
	out.Reset()
	if run(context.Background(), []string{"--json", "--rule", "version", srv.URL}, strings.NewReader(""), &out, io.Discard); !strings.HasPrefix(out.String(), "{") {
		t.Errorf("--json: %s", out.String())
	}
}

// A service that cannot be reached exits 2, whatever the rules; --wait
// waits for one that starts late.
func TestReachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	code, _, errOut := runCLI("", "http://"+addr)
	if code != 2 || !strings.Contains(errOut, "cannot be reached") {
		t.Errorf("nothing listening: exit %d, %q", code, errOut)
	}

	started := make(chan struct{})
	go func() {
		time.Sleep(500 * time.Millisecond)
		l, err := net.Listen("tcp", addr)
		if err != nil {
			close(started)
			return
		}
		srv := &http.Server{Handler: &standIn{out: io.Discard}}
		close(started)
		_ = srv.Serve(l)
	}()
	code, out, errOut := runCLI("", "--wait", "20s", "--rule", "lbheartbeat", "http://"+addr)
	<-started
	if code != 0 || !strings.Contains(out, "PASS    lbheartbeat.status") {
		t.Errorf("--wait for a service starting late: exit %d\n%s%s", code, out, errOut)
	}
}

// --expect-commit takes a prefix; --expect-version the whole version.
func TestExpectedVersion(t *testing.T) {
	srv := httptest.NewServer(&standIn{out: io.Discard})
	defer srv.Close()
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--expect-commit", "52ce614"}, 0},
		{[]string{"--expect-commit", "52ce614fbf99540a1bf6228e36be6cef63b4d73b", "--expect-version", "v1.0.0"}, 0},
		{[]string{"--expect-version", "v1.0.1"}, 1},
	} {
		code, out, _ := runCLI("", append(append([]string{"--rule", "version"}, tc.args...), srv.URL)...)
		if code != tc.code || !strings.Contains(out, "version.expected") {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, out)
		}
	}
}

// --manifests: the example's manifests pass; probes swapped, a probe
// timeout under the check timeout and a grace period under what stopping
// takes fail (under the strict profile; they warn under the default),
// and the native preStop sleep counts.
func TestManifests(t *testing.T) {
	if code, out, errOut := runCLI("", "--profile", "strict", "--manifests", "../../examples/kubernetes"); code != 0 || strings.Count(out, "PASS") != 4 {
		t.Errorf("examples/kubernetes: exit %d\n%s%s", code, out, errOut)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(`apiVersion: v1
kind: Service
metadata: {name: svc}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: swapped}
spec:
  template:
    spec:
      terminationGracePeriodSeconds: 20
      containers:
        - name: web
          env:
            - {name: DOCKERFLOW_CHECK_TIMEOUT, value: "2s"}
            - {name: DOCKERFLOW_DRAIN_DELAY, value: "5s"}
            - {name: DOCKERFLOW_SHUTDOWN_TIMEOUT, value: "10s"}
          lifecycle:
            preStop:
              sleep: {seconds: 10}
          livenessProbe: {httpGet: {path: /__heartbeat__, port: 8000}, timeoutSeconds: 1}
          readinessProbe: {httpGet: {path: /__lbheartbeat__, port: 8000}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: eager}
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - {name: DOCKERFLOW_DRAIN_DELAY, value: "5s"}
          livenessProbe: {httpGet: {path: /__lbheartbeat__, port: 8000}}
          readinessProbe: {httpGet: {path: /__heartbeat__, port: 8000}, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 2}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI("", "--profile", "strict", "--manifests", bad)
	for _, want := range []string{"FAIL    manifests.probes", "swapped", "FAIL    manifests.timeouts", "liveness probe timeout 1s, not above DOCKERFLOW_CHECK_TIMEOUT 2s",
		"FAIL    manifests.grace", "preStop sleep 10s + drain delay 5s + shutdown timeout 10s = 25s",
		"FAIL    manifests.terminating", "eager web: the readiness probe may fail a draining pod after 1s"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("strict: exit %d, want 1", code)
	}
	if code, out, _ := runCLI("", "--manifests", bad); code != 0 || !strings.Contains(out, "WARN    manifests.probes") {
		t.Errorf("default profile: exit %d, want 0 with warnings\n%s", code, out)
	}
}

// --grpc: grpc-go's own health server, SERVING, passes; NOT_SERVING fails.
func TestGRPCHealth(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	hs := health.NewServer()
	healthpb.RegisterHealthServer(s, hs)
	go func() { _ = s.Serve(l) }()
	defer s.Stop()
	if code, out, errOut := runCLI("", "--grpc", l.Addr().String()); code != 0 || !strings.Contains(out, "PASS    grpc.health") {
		t.Errorf("SERVING: exit %d\n%s%s", code, out, errOut)
	}
	hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	if code, out, _ := runCLI("", "--profile", "strict", "--grpc", l.Addr().String()); code != 1 || !strings.Contains(out, `Check(""): NOT_SERVING`) {
		t.Errorf("NOT_SERVING: exit %d\n%s", code, out)
	}
}
