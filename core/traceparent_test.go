package dockerflow

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const validTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

func TestTraceID(t *testing.T) {
	for h, want := range map[string]string{
		validTraceparent: "4bf92f3577b34da6a3ce929d0e0e4736",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00": "4bf92f3577b34da6a3ce929d0e0e4736",
		"": "",
		"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01":  "", // only version 00
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01":  "", // all-zero trace-id
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01":  "", // all-zero parent-id
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01":  "", // upper case
		"00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01":  "", // not hex
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-": "",
		"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01":  "",
		`00-4bf92f3577b34da6a3ce929d0e0e47"}-00f067aa0ba902b7-01`:  "",
	} {
		if got := traceID(h); got != want {
			t.Errorf("traceID(%q) = %q, want %q", h, got, want)
		}
	}
}

// A valid traceparent reaches the summary and every entry logged with the
// request's context as trace_id; with RequestIDFromTraceparent its
// trace-id is the request ID when none is sent. An invalid one is ignored.
func TestTraceparentInSummary(t *testing.T) {
	for _, tc := range []struct {
		name              string
		fromTrace         bool
		traceparent, rid  string
		wantRID, wantTrID string
	}{
		{name: "logged", traceparent: validTraceparent, rid: "given", wantRID: "given", wantTrID: "4bf92f3577b34da6a3ce929d0e0e4736"},
		{name: "as-request-id", fromTrace: true, traceparent: validTraceparent, wantRID: "4bf92f3577b34da6a3ce929d0e0e4736", wantTrID: "4bf92f3577b34da6a3ce929d0e0e4736"},
		{name: "given-id-wins", fromTrace: true, traceparent: validTraceparent, rid: "given", wantRID: "given", wantTrID: "4bf92f3577b34da6a3ce929d0e0e4736"},
		{name: "invalid-ignored", fromTrace: true, traceparent: "00-zz-yy-01", rid: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			s := testService(t, Config{Logger: &MozlogLogger{Out: &out}, RequestIDFromTraceparent: tc.fromTrace})
			req := httptest.NewRequest("GET", "/x", nil)
			req.Header.Set("Traceparent", tc.traceparent)
			if tc.rid != "" {
				req.Header.Set("X-Request-ID", tc.rid)
			}
			req, tr := s.Adapter().Track(req, http.Header{})
			s.log.LogEvent(req.Context(), Event{Type: "app.test", Level: LevelWarning, Msg: "inside"})
			tr.Done(200)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 2 {
				t.Fatalf("%d lines:\n%s", len(lines), out.String())
			}
			if tc.wantRID != "" && RequestID(req.Context()) != tc.wantRID {
				t.Errorf("request ID %q, want %q", RequestID(req.Context()), tc.wantRID)
			}
			if tc.wantRID == "" && !validRequestID(RequestID(req.Context())) {
				t.Errorf("request ID %q", RequestID(req.Context()))
			}
			for _, line := range lines {
				has := strings.Contains(line, `"trace_id":"`+tc.wantTrID+`"`)
				if tc.wantTrID != "" && !has || tc.wantTrID == "" && strings.Contains(line, "trace_id") {
					t.Errorf("line %s: want trace_id %q", line, tc.wantTrID)
				}
				if strings.Contains(line, "zz") {
					t.Errorf("an invalid traceparent was logged: %s", line)
				}
			}
		})
	}
	if TraceID(context.Background()) != "" {
		t.Error("trace-id outside a request")
	}
}
