package dockerflow

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Close logs the summary of a request still in flight (a shutdown that
// gave up on it), once: the handler's own end later logs nothing.
func TestCloseLogsRequestsInFlight(t *testing.T) {
	log := &recorder{}
	s := testService(t, Config{Logger: log})
	req := httptest.NewRequest("GET", "/slow/7?x=1", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req, slow := s.Adapter().Track(req, http.Header{})
	SetRoute(req.Context(), "/slow/{id}")
	_, quick := s.Adapter().Track(httptest.NewRequest("GET", "/quick", nil), http.Header{})
	quick.Done(200)
	_ = s.Close()
	slow.Done(200) // the handler returns after all
	sums := log.summaries()
	if len(sums) != 2 {
		t.Fatalf("%d summaries, want 2: %+v", len(sums), sums)
	}
	cut := sums[1]
	if cut.Path != "/slow/7" || cut.Code != 503 || cut.Errno != 503 || cut.Level != LevelError ||
		cut.Msg != "the service stopped before the request finished" || cut.RID == "" ||
		cut.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || cut.Route != "/slow/{id}" {
		t.Errorf("summary of the request cut short: %+v", cut)
	}
}

// Whatever a request holds, its summary is one mozlog line under the
// 16 KiB at which container runtimes split lines, each oversized field cut
// with a marker.
func TestSummaryLineBounded(t *testing.T) {
	var buf bytes.Buffer
	s := testService(t, Config{Logger: &MozlogLogger{Out: &buf}, SummaryQueryString: true})
	huge := func(unit string) string { return strings.Repeat(unit, (1<<20)/len(unit)) }
	for _, unit := range []string{"a", "\x01", "\xff", "é", "\"", "\u2028"} {
		buf.Reset()
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = "/" + huge(unit)
		req.URL.RawQuery = "q=" + huge(unit)
		req.Header.Set("User-Agent", huge(unit))
		req.Header.Set("Accept-Language", huge(unit))
		req, tr := s.Adapter().Track(req, http.Header{})
		SetUserID(req.Context(), huge(unit))
		tr.SetRoute(huge(unit))
		tr.Failed(0, huge(unit))
		line := buf.Bytes()
		if len(line) >= 16<<10 || bytes.Count(line, []byte("\n")) != 1 {
			t.Fatalf("unit %q: %d bytes, %d lines", unit, len(line), bytes.Count(line, []byte("\n")))
		}
		if err := mozlog.Check(line); err != nil {
			t.Fatalf("unit %q: %v", unit, err)
		}
		var entry struct{ Fields map[string]any }
		if err := json.Unmarshal(line, &entry); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"agent", "lang", "path", "querystring", "route", "uid", "msg", "error"} {
			if v, _ := entry.Fields[f].(string); !strings.HasSuffix(v, "…") {
				t.Errorf("unit %q: %s = %.40q…, want it cut with a marker", unit, f, v)
			}
		}
	}
}

// A tracker is allocated for every request: above 896 bytes it moves to
// Go's 1024-byte size class, 128 more bytes for every request to
// allocate and collect (issue 36 crossed it). What few requests need goes
// in trackerRare.
func TestTrackerSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Tracker{}); n > 896 {
		t.Errorf("Tracker is %d bytes, above the 896-byte size class: move what few requests need to trackerRare", n)
	}
}
