package dockerflowtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// operatorsToken is the details token of the suite's services.
const operatorsToken = "operators-only-0123456789abcdef"

// testDetailsPolicy: with a details token, a request without it, with a
// wrong one or another scheme gets the plain body and the same status
// (never a 401); the token gets the details; the answer varies on
// Authorization; the token is in no log line. A hook decides likewise.
func testDetailsPolicy(t *testing.T, nh NewHandler) {
	plain := `{"status":"error"}`
	detailed := `{"status":"error","checks":{"db":"error"},"details":{"db":{"status":"error","level":40,"messages":{"x.E1":"down"}}}}`
	for name, env := range map[string]map[string]string{"code": nil, "env": {"DOCKERFLOW_HEARTBEAT_DETAILS_TOKEN": operatorsToken}} {
		t.Run(name, func(t *testing.T) {
			cfg := dockerflow.Config{}
			if env == nil {
				cfg.HeartbeatDetailsToken = operatorsToken
			}
			h := start(t, nh, cfg, env, fixed("db", dockerflow.Error("x.E1", "down")))
			for _, auth := range []string{"", "Bearer wrong-token-0123456789abcdef", "Basic " + operatorsToken, "Bearer " + operatorsToken[:20], "Bearer"} {
				h.want(h.do("GET", "/__heartbeat__", "Authorization", auth), 500, plain, withVary(plain))
			}
			h.want(h.do("GET", "/__heartbeat__", "Authorization", "Bearer "+operatorsToken), 500, detailed, withVary(detailed))
			h.want(h.do("GET", "/__heartbeat__", "Authorization", "bearer "+operatorsToken), 500, detailed, withVary(detailed))
			assertNotLogged(t, h, operatorsToken)
		})
	}
	t.Run("hook", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{HeartbeatDetailsAllowed: func(r *http.Request) bool { return r.Header.Get("X-Internal") == "1" }}, nil,
			fixed("db", dockerflow.Error("x.E1", "down")))
		h.want(h.do("GET", "/__heartbeat__"), 500, plain, withVary(plain))
		h.want(h.do("GET", "/__heartbeat__", "X-Internal", "1"), 500, detailed, withVary(detailed))
	})
}

// withVary are the headers of a heartbeat's JSON body that depends on
// the request's Authorization header.
func withVary(body string) map[string]string {
	hdr := jsonHeaders(body)
	hdr["Vary"] = "Authorization"
	return hdr
}

// assertNotLogged fails if secret is in any line the service logged.
func assertNotLogged(t *testing.T, h *harness, secret string) {
	t.Helper()
	for _, e := range h.log.Events("") {
		if strings.Contains(fmt.Sprint(e), secret) {
			t.Errorf("the secret is in a log event: %+v", e)
		}
	}
	for _, s := range h.log.Summaries() {
		if strings.Contains(fmt.Sprintf("%+v", s), secret) {
			t.Errorf("the secret is in a summary: %+v", s)
		}
	}
}

// testBroken: Broken makes /__lbheartbeat__ answer 500 (empty, no-store)
// from the next request, the heartbeat fail with the reason, redacted;
// Broken("") clears both; each change logged once.
func testBroken(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{HeartbeatDetailsToken: operatorsToken}, nil)
	h.svc.Broken("db pool exhausted for 5m, postgres://app:hunter2@db/x")
	h.svc.Broken("db pool exhausted for 5m, postgres://app:hunter2@db/x") // the same: not logged again
	h.want(h.do("GET", "/__lbheartbeat__"), 500, "", map[string]string{"Cache-Control": "no-store"})
	body := `{"status":"error","checks":{"dockerflow":"error"},"details":{"dockerflow":{"status":"error","level":40,"messages":{"dockerflow.lifecycle.E003":"the service is broken: db pool exhausted for 5m, postgres://app:xxxxx@db/x"}}}}`
	h.want(h.do("GET", "/__heartbeat__", "Authorization", "Bearer "+operatorsToken), 500, body, withVary(body))
	var broken []dockerflow.Event
	for _, e := range h.log.Events("dockerflow.lifecycle") {
		if strings.Contains(e.Msg, "broken") {
			broken = append(broken, e)
		}
	}
	if len(broken) != 1 || broken[0].Level != dockerflow.LevelError || strings.Contains(broken[0].Msg, "hunter2") {
		t.Errorf("broken's log lines: %+v, want one at error level, redacted", broken)
	}
	h.svc.Broken("")
	h.want(h.do("GET", "/__lbheartbeat__"), 200, "", map[string]string{"Cache-Control": "no-store"})
	ok := `{"status":"ok","checks":{},"details":{}}`
	h.want(h.do("GET", "/__heartbeat__", "Authorization", "Bearer "+operatorsToken), 200, ok, withVary(ok))
}
