package dockerflow

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Close logs the summary of a request still in flight (a shutdown that
// gave up on it), once: the handler's own end later logs nothing.
func TestCloseLogsRequestsInFlight(t *testing.T) {
	log := &recorder{}
	s := testService(t, Config{Logger: log})
	_, slow := s.TrackRequest(httptest.NewRequest("GET", "/slow?x=1", nil), http.Header{})
	_, quick := s.TrackRequest(httptest.NewRequest("GET", "/quick", nil), http.Header{})
	quick.Done(200)
	_ = s.Close()
	slow.Done(200) // the handler returns after all
	sums := log.summaries()
	if len(sums) != 2 {
		t.Fatalf("%d summaries, want 2: %+v", len(sums), sums)
	}
	cut := sums[1]
	if cut.Path != "/slow" || cut.Code != 503 || cut.Errno != 503 || cut.Level != LevelError ||
		cut.Msg != "the service stopped before the request finished" || cut.RID == "" {
		t.Errorf("summary of the request cut short: %+v", cut)
	}
}
