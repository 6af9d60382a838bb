package dockerflow

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// BenchmarkSummaryQueryString is a request's summary, from the request's
// arrival to its mozlog line (written to io.Discard), with querystring
// logging off and on, for an 85-byte query string.
// wideFields are a wide event's fields, as a handler adds them.
var wideFields = []slog.Attr{slog.String("plan", "pro"), slog.Int("rows", 42), slog.Bool("cache_hit", true),
	slog.String("account", "acct-7f3a9c"), slog.Duration("db", 1500*time.Microsecond)}

func BenchmarkSummaryQueryString(b *testing.B) {
	const target = "/search?q=caf%C3%A9+au+lait&page=2&sort=price&filter=in-stock&lang=fr&utm_source=newsletter"
	for _, tc := range []struct {
		name        string
		on          bool
		traceparent string
		text        bool
		added       int // fields added with AddFields
	}{
		{name: "querystring-off"},
		{name: "querystring-on", on: true},
		// W3C trace context: parsing the header and logging trace_id.
		{name: "traceparent", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
		// DOCKERFLOW_LOG_FORMAT=text: the human line instead of JSON.
		{name: "text-format", text: true},
		// A wide event: 5 fields added by the handler (AddFields).
		{name: "added-fields-5", added: 5},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := testService(b, Config{SummaryQueryString: tc.on, Logger: &MozlogLogger{Out: io.Discard, Options: mozlog.Options{Text: tc.text}}})
			req := httptest.NewRequest("GET", target, nil)
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
			req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
			if tc.traceparent != "" {
				req.Header.Set("Traceparent", tc.traceparent)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, t := s.Adapter().Track(req, http.Header{})
				if tc.added > 0 {
					AddFields(r.Context(), wideFields[:tc.added]...)
				}
				t.Done(200)
			}
		})
	}
}
