package dockerflow

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// summaryShapes are summaries with each optional field set and not, and
// texts that need escaping.
func summaryShapes() []Summary {
	base := Summary{Level: LevelInfo, Agent: "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
		Lang: "en-US,en;q=0.5", Method: "GET", Path: "/users/42", Code: 200, Duration: 12 * time.Millisecond,
		End: time.Unix(1795514400, 123), RID: "0f8fad5b-d9cb-469f-a165-70867728950e"}
	odd := "quote\" backslash\\ nl\n cr\r tab\t nul\x00 bell\x07 del\x7f é \u2028\u2029 bad\xff\xfe end"
	shapes := []Summary{base, {}}
	with := func(f func(*Summary)) {
		s := base
		f(&s)
		shapes = append(shapes, s)
	}
	with(func(s *Summary) {
		s.Level, s.Code, s.Errno, s.Msg, s.Error, s.Traceback = LevelError, 500, 500, "boom", "boom", "goroutine 1 [running]:\nmain.main()\n"
	})
	with(func(s *Summary) { s.HasQueryString, s.QueryString = true, "q=café&page=2" })
	with(func(s *Summary) { s.HasQueryString = true })
	with(func(s *Summary) {
		s.Route, s.UID, s.TraceID = "/users/{id}", "user-42", "4bf92f3577b34da6a3ce929d0e0e4736"
	})
	with(func(s *Summary) {
		s.Method, s.Path, s.Status, s.Code, s.Errno = "/pkg.Service/Get", "/pkg.Service/Get", "NOT_FOUND", 5, 5
	})
	with(func(s *Summary) { s.Msg = "the client went away" })
	with(func(s *Summary) { s.Msg = "{not json" })
	with(func(s *Summary) { s.Msg = `{"order":7}` })
	with(func(s *Summary) { s.Msg = `no such note "x" code=0 uid=admin` })
	with(func(s *Summary) { s.Code, s.Errno, s.Duration = -1, 1<<40, -time.Hour })
	with(func(s *Summary) {
		s.Agent, s.Lang, s.Method, s.Path, s.RID, s.TraceID, s.UID, s.Route, s.Status = odd, odd, odd, odd, odd, odd, odd, odd, odd
		s.Msg, s.Error, s.Traceback, s.QueryString, s.HasQueryString = odd, odd, odd, odd, true
	})
	with(func(s *Summary) { s.End = time.Unix(-5, 0) })
	// Fields added by the handler and the opt-in ones, in key order: before
	// the first field, among them, after the last.
	with(func(s *Summary) {
		s.added = &[]slog.Attr{slog.String("Zed", "z"), slog.String("_a", "x y"), slog.String("account", odd),
			slog.Bool("cache_hit", true), slog.Duration("db", time.Second), slog.String("p", "x=y"),
			slog.Any("remoteAddressChain", []string{"203.0.113.7", "192.0.2.1"}), slog.Int64("size", 5),
			slog.Float64("ratio", 0.25), slog.String("zone", "eu"), slog.String(odd, "")}
		slices.SortFunc(*s.added, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	})
	with(func(s *Summary) { s.added = &[]slog.Attr{slog.Int("zzz", 1)} })
	with(func(s *Summary) { s.added = &[]slog.Attr{slog.Int("aaa", 1)}; s.Msg = "boom" })
	return shapes
}

// The summary writer writes, byte for byte, the line mozlog's encoder
// writes for the summary's attributes, whatever the summary holds and
// whatever the envelope.
func TestSummaryLineIsMozlogs(t *testing.T) {
	headers := []encode.Header{
		{Type: mozlog.TypeSummary},
		{Type: mozlog.TypeSummary, Logger: `svc"x`, Hostname: "h\n", EnvVersion: "2.0", Pid: 7, CloudSeverity: true},
		{Type: mozlog.TypeSummary, Text: true},
		{Type: "odd type=x", Text: true},
	}
	for _, h := range headers {
		h.FillDefaults()
		for i, sum := range summaryShapes() {
			if !h.Text && encode.LooksLikeObject(sum.Msg) {
				continue // the generic encoder's
			}
			h.Timestamp = sum.End.UnixNano()
			h.Severity = encode.SlogSeverity(sum.Level.SlogLevel())
			if got, want := summaryLine(&h, &sum), encode.AppendLine(nil, &h, sum.Msg, sum.AppendAttrs(nil)); !bytes.Equal(got, want) {
				t.Errorf("shape %d, cloud %v, text %v:\ngot  %s\nwant %s", i, h.CloudSeverity, h.Text, got, want)
			} else if err := mozlog.Check(got); err != nil && !h.Text {
				t.Errorf("shape %d: %v", i, err)
			}
		}
	}
}

// summaryLine is the line writeSummary writes for sum with envelope h.
func summaryLine(h *encode.Header, sum *Summary) []byte {
	if h.Text {
		return appendSummaryText(nil, h, sum)
	}
	return appendSummaryLine(nil, new(encode.Envelopes), h, sum)
}

// MozlogLogger writes the generic encoder's line where its own writer
// cannot (text format, a replaced clock, a JSON-object message), and its
// own elsewhere: the same line either way.
func TestMozlogLoggerSummaryPaths(t *testing.T) {
	at := time.Unix(1795514400, 0)
	for _, tc := range []struct {
		name string
		opts mozlog.Options
		msg  string
		fast bool
	}{
		{name: "json", fast: true},
		{name: "cloud", opts: mozlog.Options{CloudSeverity: true, Logger: "svc"}, fast: true},
		// Every option the envelope reads: the writer fills it as the
		// encoder's front ends do.
		{name: "every-option", opts: mozlog.Options{Logger: `svc"1`, Type: "app.audit", EnvVersion: "1.0", Hostname: "web\n1",
			Pid: 42, CloudSeverity: true, Level: slog.LevelError}, fast: true},
		{name: "text", opts: mozlog.Options{Text: true}, fast: true},
		{name: "text-json-message", opts: mozlog.Options{Text: true}, msg: `{"order":7}`, fast: true},
		{name: "clock", opts: mozlog.Options{Now: func() time.Time { return at }}},
		{name: "json-message", msg: `{"order":7}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			l := &MozlogLogger{Out: &out, Options: tc.opts}
			sum := summaryShapes()[0]
			sum.Msg, sum.End = tc.msg, at
			if got := l.writeSummary(&sum); got != tc.fast {
				t.Fatalf("own writer used: %v, want %v", got, tc.fast)
			}
			out.Reset()
			l.LogSummary(context.Background(), &sum)
			var want bytes.Buffer
			wantOpts := tc.opts
			if tc.opts.Now != nil {
				sum.Duration = 0 // a fixed clock has no durations
			}
			want.Write(wantOpts.AppendEntry(nil, context.Background(), at, mozlog.TypeSummary, sum.Level.SlogLevel(), sum.Msg, sum.AppendAttrs(nil)))
			if out.String() != want.String() {
				t.Errorf("got  %s\nwant %s", out.String(), want.String())
			}
			if tc.msg != "" && !strings.Contains(out.String(), `order`) {
				t.Errorf("the message's keys are not fields: %s", out.String())
			}
		})
	}
}

type noLock struct{}

func (*noLock) Lock()   {}
func (*noLock) Unlock() {}

// FuzzSummaryLine: for any texts in a summary, the summary writer's line
// is the generic encoder's.
func FuzzSummaryLine(f *testing.F) {
	f.Add("Mozilla/5.0", "en", "GET", "/a", "rid", "", "", "", "", 200, int64(3))
	f.Add("a\"b", "\xff", "\u2028", "/\x00", "", "{x", "e", "tb", "/r", -1, int64(-1))
	f.Fuzz(func(t *testing.T, agent, lang, method, path, rid, msg, errText, tb, route string, code int, ms int64) {
		sum := Summary{Agent: agent, Lang: lang, Method: method, Path: path, RID: rid, Msg: msg, Error: errText,
			Traceback: tb, Route: route, UID: agent, Status: lang, TraceID: method, QueryString: path, HasQueryString: code%2 == 0,
			Code: code, Errno: code, Duration: time.Duration(ms) * time.Millisecond, End: time.Unix(0, ms)}
		for _, text := range []bool{false, true} {
			if !text && encode.LooksLikeObject(msg) {
				continue // the generic encoder's: its keys join the fields
			}
			h := encode.Header{Type: mozlog.TypeSummary, Timestamp: ms, Severity: int(ms & 7), CloudSeverity: ms%3 == 0, Text: text}
			h.FillDefaults()
			want := encode.AppendLine(nil, &h, sum.Msg, sum.AppendAttrs(nil))
			if got := summaryLine(&h, &sum); !bytes.Equal(got, want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		}
	})
}
