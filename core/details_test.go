package dockerflow

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// The details token is in no output: not in the summaries of requests
// that carry it (right or wrong), the heartbeat's bodies, the events,
// in JSON or text; the right token sees details, others the plain body.
func TestDetailsTokenInNoOutput(t *testing.T) {
	const token = "S3CRET-0123456789-details"
	for _, mode := range []mozlog.Options{{}, {Text: true}} {
		var logs bytes.Buffer
		s := testService(t, Config{HeartbeatDetailsToken: token, Logger: &MozlogLogger{Out: &logs, Options: mode}})
		_ = s.Register(Check{Name: "db", Func: func(context.Context) []Message { return []Message{Error("db.E1", "down")} }})
		var bodies []byte
		for _, auth := range []string{"Bearer " + token, "Bearer " + token + "x", token, "Basic " + token} {
			r, tr := s.Adapter().Track(httptestRequest("/__heartbeat__", auth), http.Header{})
			resp, _ := s.respond(r, PathHeartbeat)
			tr.Done(resp.status)
			if want := auth == "Bearer "+token; bytes.Contains(resp.body, []byte(`"details"`)) != want {
				t.Errorf("Authorization %q: body %s", auth, resp.body)
			}
			bodies = append(bodies, resp.body...)
		}
		s.Broken("x")
		for what, out := range map[string][]byte{"logs": logs.Bytes(), "bodies": bodies} {
			if bytes.Contains(bytes.ToUpper(out), []byte("S3CRET")) {
				t.Errorf("text %v: the token is in the %s: %s", mode.Text, what, out)
			}
		}
		if !strings.Contains(logs.String(), "request.summary") {
			t.Errorf("no summary logged: %s", logs.String())
		}
	}
}

func httptestRequest(path, auth string) *http.Request {
	r, _ := http.NewRequest("GET", path, nil)
	r.RemoteAddr = "192.0.2.1:1234"
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	return r
}
