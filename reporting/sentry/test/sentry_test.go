package test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	dockerflowsentry "github.com/dockerflow-go/dockerflow/reporting/sentry"
	"github.com/getsentry/sentry-go"
)

// Secrets the request carries, in its headers and query string, and the
// handler's failure in its text: none may reach Sentry.
const (
	inAuthorization = "AUTHZSECRET1"
	inCookie        = "COOKIESECRET2"
	inQuery         = "QUERYSECRET3"
	inPanic         = "PANICSECRET4"
	inPath          = "PATHSECRET5"
	inAgent         = "AGENTSECRET6"
)

// noteError is the handler's error type, which the event must name.
type noteError struct{ msg string }

func (e *noteError) Error() string { return e.msg }

// panicsInHandler is the frame the event's stack trace must end at.
func panicsInHandler(w http.ResponseWriter, r *http.Request) {
	panic(&noteError{"cannot load note: dial postgres://app:" + inPanic + "@db/notes failed"})
}

// ingest stands in for Sentry's ingestion endpoint: it keeps the events
// of the envelopes posted to it, and the raw bodies.
type ingest struct {
	mu     sync.Mutex
	raw    []byte
	events []map[string]any
}

func (in *ingest) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	in.mu.Lock()
	defer in.mu.Unlock()
	in.raw = append(in.raw, body...)
	// An envelope: a header line, then for each item a header line and
	// its payload.
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	sc.Scan() // the envelope's header
	for sc.Scan() {
		var item struct{ Type string }
		if json.Unmarshal(sc.Bytes(), &item) != nil || !sc.Scan() {
			continue
		}
		if item.Type == "event" {
			var ev map[string]any
			if err := json.Unmarshal(sc.Bytes(), &ev); err == nil {
				in.events = append(in.events, ev)
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (in *ingest) take() ([]map[string]any, string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	ev, raw := in.events, string(in.raw)
	in.events, in.raw = nil, nil
	return ev, raw
}

// A panic, sent by the real sentry-go client to a stand-in for Sentry:
// its type, its stack down to the handler, the request's IDs and route,
// the release from version.json, the environment; and no secret of the
// request's or of the panic's.
func TestPanicReachesSentry(t *testing.T) {
	in := &ingest{}
	sentrySrv := httptest.NewServer(in)
	defer sentrySrv.Close()
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "http://public@" + strings.TrimPrefix(sentrySrv.URL, "http://") + "/1"})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "version.json"), []byte(`{"source":"https://github.com/acme/notes","version":"v2026.12.0","commit":"52ce614","build":""}`), 0o644); err != nil {
		t.Fatal(err)
	}
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{
		VersionFile:         filepath.Join(dir, "version.json"),
		EnableErrorEndpoint: true,
		Logger:              &dockerflowtest.Logger{},
		Observers:           []dockerflow.Observer{dockerflowsentry.New(dockerflowsentry.Options{Hub: hub, Environment: "stage"})},
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /notes/{id}", panicsInHandler)
	mux.HandleFunc("GET /teapot", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	app := httptest.NewServer(dockerflowhttp.Wrap(svc, mux))
	defer app.Close()

	send := func(path string) int {
		req, _ := http.NewRequest("GET", app.URL+path, nil)
		req.Header.Set("X-Request-ID", "rid-1")
		req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		req.Header.Set("Authorization", "Bearer "+inAuthorization)
		req.Header.Set("Cookie", "session="+inCookie)
		req.Header.Set("User-Agent", "bot/1 https://u:"+inAgent+"@h/")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !hub.Flush(10 * time.Second) { // a hang guard
			t.Fatal("sentry-go did not flush")
		}
		return resp.StatusCode
	}

	if code := send("/notes/7?token=" + inQuery + "&q=x"); code != 500 {
		t.Fatalf("the panicking handler answered %d", code)
	}
	events, raw := in.take()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1:\n%s", len(events), raw)
	}
	for _, secret := range []string{inAuthorization, inCookie, inQuery, inPanic, inAgent} {
		if strings.Contains(raw, secret) {
			t.Errorf("the envelope holds the secret %s:\n%s", secret, raw)
		}
	}
	ev := events[0]
	exc := exception(t, ev)
	if exc["type"] != "*test.noteError" || exc["value"] != "cannot load note: dial postgres://app:xxxxx@db/notes failed" {
		t.Errorf("exception %v: %v", exc["type"], exc["value"])
	}
	frames := exc["stacktrace"].(map[string]any)["frames"].([]any)
	if last := frames[len(frames)-1].(map[string]any); last["function"] != "panicsInHandler" || !strings.HasSuffix(last["abs_path"].(string), "sentry_test.go") {
		t.Errorf("the innermost frame is %v, want the handler", last)
	}
	tags := ev["tags"].(map[string]any)
	if tags["rid"] != "rid-1" || tags["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || tags["route"] != "/notes/{id}" || tags["method"] != "GET" {
		t.Errorf("tags %v", tags)
	}
	if ev["transaction"] != "/notes/{id}" || ev["release"] != "v2026.12.0" || ev["environment"] != "stage" || ev["level"] != "error" {
		t.Errorf("transaction %v, release %v, environment %v, level %v", ev["transaction"], ev["release"], ev["environment"], ev["level"])
	}
	if req, _ := ev["request"].(map[string]any); req["url"] != "/notes/7" || req["headers"] != nil || req["cookies"] != nil || req["query_string"] != nil {
		t.Errorf("request %v, want the method and path only", req)
	}

	// A secret in the path reaches neither the event's URL nor its
	// transaction (issue 33: the URL sent to Sentry was not redacted).
	for _, path := range []string{"/notes/x;password=" + inPath, "/notes/user:" + inPath + "@h",
		"/notes/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0." + inPath, "/notes/token=" + inPath} {
		send(path)
		events, raw := in.take()
		if len(events) != 1 || strings.Contains(raw, inPath) || strings.Contains(raw, inAgent) {
			t.Errorf("%s: %d events; the envelope holds a secret of the path or agent:\n%s", path, len(events), raw)
		}
	}

	// /__error__ tests the whole path; a 4xx is not the service's fault.
	if code := send("/__error__"); code != 500 {
		t.Fatalf("/__error__ answered %d", code)
	}
	send("/teapot")
	events, raw = in.take()
	if len(events) != 1 {
		t.Fatalf("%d events for /__error__ and a 418, want 1:\n%s", len(events), raw)
	}
	exc = exception(t, events[0])
	if exc["value"] != dockerflow.ErrErrorEndpoint.Error() || events[0]["transaction"] != "/__error__" {
		t.Errorf("/__error__ event: %v, transaction %v", exc, events[0]["transaction"])
	}
}

// exception returns the event's one exception.
func exception(t *testing.T, ev map[string]any) map[string]any {
	t.Helper()
	list, _ := ev["exception"].([]any)
	if len(list) != 1 {
		t.Fatalf("exceptions %v, want one", ev["exception"])
	}
	exc, _ := list[0].(map[string]any)
	return exc
}
