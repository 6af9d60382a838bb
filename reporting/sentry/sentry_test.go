package dockerflowsentry_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	dockerflowsentry "github.com/dockerflow-go/dockerflow/reporting/sentry"
	"github.com/getsentry/sentry-go"
)

// transport keeps the events a client sends.
type transport struct {
	mu     sync.Mutex
	events []*sentry.Event
}

func (t *transport) Flush(time.Duration) bool              { return true }
func (t *transport) FlushWithContext(context.Context) bool { return true }
func (t *transport) Configure(sentry.ClientOptions)        {}
func (t *transport) Close()                                {}

func (t *transport) SendEvent(e *sentry.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events = append(t.events, e)
}

func (t *transport) take() []*sentry.Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.events
	t.events = nil
	return e
}

// An RPC's server-side failure: reported as an error (no panic, no
// stack), the full method as transaction, the gRPC status as a tag, and
// the release Options gives over the version object's; a client's error
// is not reported.
func TestCallFailure(t *testing.T) {
	tr := &transport{}
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "http://public@127.0.0.1:1/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	obs := dockerflowsentry.New(dockerflowsentry.Options{Hub: sentry.NewHub(client, sentry.NewScope()), Release: "v9"})
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{Logger: &dockerflowtest.Logger{}, Observers: []dockerflow.Observer{obs}})

	_, c := svc.Adapter().TrackCall(context.Background(), "/notes.v1.Notes/Get", http.Header{"X-Request-Id": {"rpc-1"}})
	c.Failed(13, "database said token=abc123")
	_, c = svc.Adapter().TrackCall(context.Background(), "/notes.v1.Notes/Get", nil)
	c.Done(5)

	events := tr.take()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	ev := events[0]
	if len(ev.Exception) != 1 || ev.Exception[0].Type != "error" || ev.Exception[0].Value != "database said token=xxxxx" || ev.Exception[0].Stacktrace != nil {
		t.Errorf("exception %+v", ev.Exception)
	}
	if ev.Transaction != "/notes.v1.Notes/Get" || ev.Release != "v9" || ev.Tags["rid"] != "rpc-1" || ev.Tags["grpc.status"] != "INTERNAL" {
		t.Errorf("transaction %q, release %q, tags %v", ev.Transaction, ev.Release, ev.Tags)
	}
	if m := ev.Exception[0].Mechanism; m == nil || m.Handled == nil || !*m.Handled {
		t.Errorf("mechanism %+v, want a handled error", m)
	}
}
