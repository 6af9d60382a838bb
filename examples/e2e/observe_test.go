package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Every example feeds Prometheus metrics, served on DEBUG_ADDR, and with
// SENTRY_DSN reports /__error__ to Sentry (a stand-in here) once, with
// no secret of the request's: what a deployed service proves with one
// call of /__error__.
func TestMetricsAndSentry(t *testing.T) {
	for _, example := range examples {
		t.Run(example, func(t *testing.T) {
			var mu sync.Mutex
			var envelopes []string
			ingest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				envelopes = append(envelopes, string(b))
				mu.Unlock()
			}))
			defer ingest.Close()
			debug := "127.0.0.1:" + strconv.Itoa(freePort(t))
			s := start(t, example, "DATABASE_URL=", "REDIS_URL=", "DEBUG_ADDR="+debug, "DOCKERFLOW_ENABLE_ERROR_ENDPOINT=true",
				"SENTRY_DSN=http://publickey@"+strings.TrimPrefix(ingest.URL, "http://")+"/7", "SENTRY_ENVIRONMENT=e2e")
			s.want("GET", "/__heartbeat__", nil, 200, `{"status":"ok"}`)
			if code, _ := s.do("GET", "/__error__?token=E2ESECRET", nil, "Authorization", "Bearer E2ESECRET"); code != 500 {
				t.Errorf("/__error__: %d", code)
			}
			resp, err := http.Get("http://" + debug + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, want := range []string{`dockerflow_check_up{check="database"} 1`, `dockerflow_heartbeats_total{status="ok"} 1`,
				`dockerflow_request_duration_seconds_count{code="500",method="GET",route="/__error__"} 1`} {
				if !strings.Contains(string(body), want) {
					t.Errorf("/metrics lacks %s:\n%s", want, body)
				}
			}
			s.stop() // flushes what Sentry has not sent
			mu.Lock()
			defer mu.Unlock()
			all := strings.Join(envelopes, "\n")
			if n := strings.Count(all, `"type":"event"`); n != 1 || !strings.Contains(all, `"transaction":"/__error__"`) ||
				!strings.Contains(all, `"rid":"e2e-`) || !strings.Contains(all, `"environment":"e2e"`) {
				t.Errorf("Sentry got %d events:\n%s", n, all)
			}
			if strings.Contains(all, "E2ESECRET") {
				t.Errorf("Sentry got the request's secret:\n%s", all)
			}
		})
	}
}
