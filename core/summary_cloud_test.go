package dockerflow

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// httpRequestFields are the members of Cloud Logging's HttpRequest object
// (the LogEntry reference's HttpRequest, in its JSON form) and the JSON
// type of each: int64 values are strings, as the API writes them.
var httpRequestFields = map[string]string{
	"requestMethod": "string", "requestUrl": "string", "requestSize": "string", "status": "number",
	"responseSize": "string", "userAgent": "string", "remoteIp": "string", "serverIp": "string",
	"referer": "string", "latency": "string", "cacheLookup": "bool", "cacheHit": "bool",
	"cacheValidatedWithOriginServer": "bool", "cacheFillBytes": "string", "protocol": "string",
}

// latencyRE is the JSON form of a google.protobuf.Duration: seconds with
// up to 9 fractional digits, then "s".
var latencyRE = regexp.MustCompile(`^-?\d+(\.\d{1,9})?s$`)

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "bool"
	}
	return "other"
}

// cloudLine decodes a line with its numbers kept.
func cloudLine(t *testing.T, line []byte) map[string]any {
	t.Helper()
	if err := mozlog.Check(line); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Cloud Logging's request object and trace fields, at the top of the
// summary line, in the shapes Google documents, through every logger.
func TestCloudRequestFields(t *testing.T) {
	at := time.Unix(1795514400, 0)
	opts := mozlog.Options{Logger: "svc", Hostname: "h", Pid: 1, CloudSeverity: true, Now: func() time.Time { return at }}
	var direct, viaSlog bytes.Buffer
	cfg := Config{SummaryFields: []string{"httpRequest", "remoteAddressChain"}, SummaryQueryString: true, GoogleCloudProject: "my-project"}
	for _, l := range []Logger{&MozlogLogger{Out: &direct, Options: opts}, SlogLogger(slog.New(mozlog.NewHandler(&viaSlog, &opts)))} {
		cfg.Logger = l
		s := testService(t, cfg)
		req := httptest.NewRequest("POST", "/orders/7?q=1&token=S3CRET", nil)
		req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		req.Header.Set("User-Agent", "curl/8.0")
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		req.Header.Set("X-Request-Id", "rid-1")
		_, tr := s.Adapter().Track(req, http.Header{})
		tr.ResponseSize(5)
		tr.Done(201)
	}
	m := cloudLine(t, direct.Bytes())
	hr, ok := m["httpRequest"].(map[string]any)
	if !ok {
		t.Fatalf("no httpRequest at the top: %s", direct.String())
	}
	for k, v := range hr {
		if want, known := httpRequestFields[k]; !known || jsonType(v) != want {
			t.Errorf("httpRequest.%s = %#v: not one of Google's fields, or not a %s", k, v, want)
		}
	}
	for k, want := range map[string]any{"requestMethod": "POST", "requestUrl": "/orders/7?q=1&token=xxxxx", "status": json.Number("201"),
		"userAgent": "curl/8.0", "protocol": "HTTP/1.1", "responseSize": "5", "remoteIp": "203.0.113.7"} {
		if hr[k] != want {
			t.Errorf("httpRequest.%s = %#v, want %#v", k, hr[k], want)
		}
	}
	if l, _ := hr["latency"].(string); !latencyRE.MatchString(l) {
		t.Errorf("latency %q is not a Duration's JSON", l)
	}
	if m["logging.googleapis.com/trace"] != "projects/my-project/traces/4bf92f3577b34da6a3ce929d0e0e4736" ||
		m["logging.googleapis.com/spanId"] != "00f067aa0ba902b7" || m["logging.googleapis.com/trace_sampled"] != true || m["severity"] != "INFO" {
		t.Errorf("trace fields: %s", direct.String())
	}
	f := m["Fields"].(map[string]any)
	if f["httpRequest"] != nil || f["logging.googleapis.com/trace"] != nil || f["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("Fields: %v", f)
	}
	if direct.String() != viaSlog.String() {
		// t differs by a millisecond at most: compare without it
		strip := regexp.MustCompile(`"t":\d+,|"latency":"[^"]*",`)
		if a, b := strip.ReplaceAllString(direct.String(), ""), strip.ReplaceAllString(viaSlog.String(), ""); a != b {
			t.Errorf("MozlogLogger: %s\nslog:        %s", a, b)
		}
	}
	if strings.Contains(direct.String(), "S3CRET") {
		t.Errorf("the secret leaked: %s", direct.String())
	}
}

// Without a project, no trace link (Cloud Logging needs the project);
// without a traceparent, no trace fields; an RPC has no httpRequest.
func TestCloudRequestFieldsPartial(t *testing.T) {
	var logs bytes.Buffer
	s := testService(t, Config{SummaryFields: []string{"httpRequest"}, Logger: &MozlogLogger{Out: &logs}})
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
	_, tr := s.Adapter().Track(req, http.Header{})
	tr.Done(200)
	m := cloudLine(t, logs.Bytes())
	if m["logging.googleapis.com/trace"] != nil || m["logging.googleapis.com/spanId"] != "00f067aa0ba902b7" || m["logging.googleapis.com/trace_sampled"] != false {
		t.Errorf("no project: %s", logs.String())
	}
	if hr := m["httpRequest"].(map[string]any); hr["remoteIp"] != nil || hr["responseSize"] != nil {
		t.Errorf("remoteIp without remoteAddressChain, or a size never reported: %v", hr)
	}
	logs.Reset()
	_, c := s.Adapter().TrackCall(context.Background(), "/pkg.Svc/M", http.Header{})
	c.Done(0)
	if m := cloudLine(t, logs.Bytes()); m["httpRequest"] != nil || m["logging.googleapis.com/spanId"] != nil {
		t.Errorf("an RPC: %s", logs.String())
	}
}

func TestSummaryFieldsRefused(t *testing.T) {
	_, err := New(Config{SummaryFields: []string{"size", "bogus"}})
	if err == nil || !strings.Contains(err.Error(), `"bogus"`) {
		t.Errorf("err %v, want one naming the field", err)
	}
	_, err = ConfigFromEnv(func(k string) (string, bool) {
		v, ok := map[string]string{"DOCKERFLOW_SUMMARY_LOG_FIELDS": "size,nope"}[k]
		return v, ok
	})
	if err == nil || !strings.Contains(err.Error(), "DOCKERFLOW_SUMMARY_LOG_FIELDS") {
		t.Errorf("err %v, want one naming the variable", err)
	}
	cfg, err := ConfigFromEnv(func(k string) (string, bool) {
		v, ok := map[string]string{"DOCKERFLOW_SUMMARY_LOG_FIELDS": "size, httpRequest", "GOOGLE_CLOUD_PROJECT": "p"}[k]
		return v, ok
	})
	if err != nil || strings.Join(cfg.SummaryFields, ",") != "size,httpRequest" || cfg.GoogleCloudProject != "p" {
		t.Errorf("cfg %v %q, err %v", cfg.SummaryFields, cfg.GoogleCloudProject, err)
	}
}
