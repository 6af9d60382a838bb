package adapter_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/adapter"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

// The plumbing reaches the service: endpoints match, answers come, a
// tracked request logs its summary, and the Type names are the ones core
// logs.
func TestPlumbing(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{EnableErrorEndpoint: true, VersionFile: t.TempDir() + "/version.json"})
	for path, want := range map[string]adapter.Endpoint{
		"/__version__": adapter.EndpointVersion, "/__heartbeat__/": adapter.EndpointHeartbeat,
		"/__lbheartbeat__": adapter.EndpointLBHeartbeat, "/__error__": adapter.EndpointError, "/other": adapter.EndpointNone,
	} {
		if got := adapter.Match(svc, path); got != want {
			t.Errorf("Match(%q) = %d, want %d", path, got, want)
		}
	}
	if n := len(adapter.Routes(svc)); n != 4 {
		t.Errorf("%d routes with /__error__ enabled, want 4", n)
	}
	resp, err := adapter.Respond(context.Background(), svc, adapter.EndpointVersion, "GET")
	if err != nil || resp.Status != 404 || string(resp.Body) != "version.json not found" {
		t.Errorf("version: %+v %v", resp, err)
	}
	if _, err := adapter.Respond(context.Background(), svc, adapter.EndpointError, "GET"); !errors.Is(err, dockerflow.ErrErrorEndpoint) {
		t.Errorf("error endpoint: %v", err)
	}
	if ev := log.Events(adapter.TypeError); len(ev) != 1 {
		t.Errorf("events of type %s: %+v", adapter.TypeError, ev)
	}

	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("X-Request-ID", "abc")
	h := http.Header{}
	req, tr := adapter.Track(svc, req, h)
	if tr.RequestID() != "abc" || dockerflow.RequestID(req.Context()) != "abc" || h.Get(adapter.RequestIDHeader(svc)) != "abc" {
		t.Errorf("request ID: tracker %q, context %q, header %q", tr.RequestID(), dockerflow.RequestID(req.Context()), h.Get("X-Request-Id"))
	}
	tr.SetRoute("/x")
	tr.Done(204)
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
	if dockerflow.LevelCritical.SlogLevel() != slog.LevelError+4 || dockerflow.LevelWarning.SlogLevel() != slog.LevelWarn {
		t.Error("SlogLevel")
	}
}
