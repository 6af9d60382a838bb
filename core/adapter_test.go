package dockerflow_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// The kit reaches the service: endpoints match, answers come, a tracked
// request logs its summary, and the Type names are the ones core logs.
func TestKit(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{EnableErrorEndpoint: true, VersionFile: t.TempDir() + "/version.json"})
	kit := svc.Adapter()
	for path, want := range map[string]dockerflow.Endpoint{
		"/__version__": dockerflow.PathVersion, "/__heartbeat__/": dockerflow.PathHeartbeat,
		"/__lbheartbeat__": dockerflow.PathLBHeartbeat, "/__error__": dockerflow.PathError, "/other": "", "/%5F_heartbeat__": "",
	} {
		if got := kit.Endpoint(httptest.NewRequest("GET", path, nil)); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", path, got, want)
		}
	}
	if n := len(kit.Routes()); n != 4 {
		t.Errorf("%d routes with /__error__ enabled, want 4", n)
	}
	rec := httptest.NewRecorder()
	if err := kit.Respond(rec, httptest.NewRequest("GET", "/__version__", nil), dockerflow.PathVersion); err != nil ||
		rec.Code != 404 || rec.Body.String() != "version.json not found" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("version: %d %q %v %v", rec.Code, rec.Body, rec.Header(), err)
	}
	rec = httptest.NewRecorder()
	if err := kit.Respond(rec, httptest.NewRequest("GET", "/__error__", nil), dockerflow.PathError); !errors.Is(err, dockerflow.ErrErrorEndpoint) || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("error endpoint: %v, header %v", err, rec.Header())
	}
	if ev := log.Events(mozlog.TypeError); len(ev) != 1 {
		t.Errorf("events of type %s: %+v", mozlog.TypeError, ev)
	}

	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("X-Request-ID", "abc")
	h := http.Header{}
	req, tr := kit.Track(req, h)
	if dockerflow.RequestID(req.Context()) != "abc" || h.Get(kit.Config().RequestIDHeader) != "abc" || kit.Tracker(req.Context()) != tr {
		t.Errorf("request ID: context %q, header %q", dockerflow.RequestID(req.Context()), h.Get("X-Request-Id"))
	}
	tr.SetRoute("/x")
	tr.Done(204)
	if kit.Tracker(req.Context()) != nil {
		t.Error("Tracker returns a tracker whose summary is logged")
	}
	sums := log.Summaries()
	if len(sums) != 1 || sums[0].Code != 204 || sums[0].Route != "/x" {
		t.Fatalf("summaries %+v", sums)
	}
	var names []string
	for _, a := range sums[0].AppendAttrs(nil) {
		names = append(names, a.Key)
	}
	if got := len(names); got != 10 || names[0] != "agent" || names[9] != "uid" {
		t.Errorf("summary attributes %v", names)
	}
}

// /__error__ failed through a returned error (echo's error path) logs the
// stack where the error was raised, as a panic's would be: the call
// checks that a failure reaches the log with its traceback.
func TestErrorEndpointTraceback(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{EnableErrorEndpoint: true})
	kit := svc.Adapter()
	r, tr := kit.Track(httptest.NewRequest("GET", "/__error__", nil), http.Header{})
	err := kit.Respond(httptest.NewRecorder(), r, dockerflow.PathError)
	tr.Failed(500, err.Error())
	s := log.Summaries()
	if len(s) != 1 || s[0].Errno != 500 || !strings.Contains(s[0].Traceback, "core.Adapter.Respond(") {
		t.Errorf("summaries %+v, want errno 500 and the stack of Respond", s)
	}
}
