package dockerflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// summaryFields decodes the Fields of the one summary line in logs.
func loggedFields(t *testing.T, logs []byte) map[string]any {
	t.Helper()
	if bytes.Count(logs, []byte("\n")) != 1 {
		t.Fatalf("want one line, got %q", logs)
	}
	if err := mozlog.Check(logs); err != nil {
		t.Fatalf("%v: %s", err, logs)
	}
	var entry struct{ Fields map[string]any }
	if err := json.Unmarshal(logs, &entry); err != nil {
		t.Fatal(err)
	}
	return entry.Fields
}

func TestAddFieldsOutsideARequest(t *testing.T) {
	if AddFields(context.Background(), slog.Int("n", 1)) {
		t.Error("AddFields on a context of no request reported true")
	}
}

// The fields a handler adds reach its summary, shallow, with their
// kinds; a key of the summary's own gets the prefix "app.", and the
// summary's own field keeps its value.
func TestAddFieldsReachTheSummary(t *testing.T) {
	var logs bytes.Buffer
	s := testService(t, Config{Logger: &MozlogLogger{Out: &logs}})
	r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/orders", nil), http.Header{})
	ok := AddFields(r.Context(),
		slog.String("plan", "pro"), slog.Int("rows", 42), slog.Bool("cached", true), slog.Float64("ratio", 0.5),
		slog.Duration("db", 1500*time.Millisecond),
		slog.Group("cart", slog.Int("items", 3), slog.Group("deep", slog.String("x", "y"))),
		slog.Any("err", errors.New("no stock")), slog.Any("obj", struct{ A int }{7}), slog.Float64("nan", math.NaN()),
		slog.Int("code", 999), slog.String("rid", "forged"), slog.String("Type", "forged"), slog.String("msg", "m"),
		slog.String("fields_dropped", "x"))
	if !ok {
		t.Fatal("AddFields reported false inside a request")
	}
	AddFields(r.Context(), slog.Int("rows", 43)) // a key added again replaces its value
	tr.Done(201)
	if AddFields(r.Context(), slog.Int("late", 1)) {
		t.Error("AddFields after the summary was written reported true")
	}
	f := loggedFields(t, logs.Bytes())
	want := map[string]any{"plan": "pro", "rows": 43.0, "cached": true, "ratio": 0.5, "db": "1.5s", "cart.items": 3.0,
		"cart.deep.x": "y", "err": "no stock", "obj": `{"A":7}`, "nan": "NaN", "app.code": 999.0, "app.rid": "forged",
		"app.Type": "forged", "app.msg": "m", "app.fields_dropped": "x", "code": 201.0}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %#v, want %#v", k, f[k], v)
		}
	}
	if f["rid"] == "forged" || f["late"] != nil || f["fields_dropped"] != nil {
		t.Errorf("fields: %v", f)
	}
	if !strings.Contains(logs.String(), `"Type":"request.summary"`) {
		t.Errorf("Type changed: %s", logs.String())
	}
}

// Every Logger writes the added fields: MozlogLogger's line and the
// log/slog handler's are the same line.
func TestAddFieldsEveryLogger(t *testing.T) {
	at := time.Unix(1700000000, 0)
	opts := mozlog.Options{Logger: "svc", Hostname: "h", Pid: 1, Now: func() time.Time { return at }}
	var direct, viaSlog bytes.Buffer
	for _, l := range []Logger{&MozlogLogger{Out: &direct, Options: opts}, SlogLogger(slog.New(mozlog.NewHandler(&viaSlog, &opts)))} {
		s := testService(t, Config{Logger: l})
		r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{"X-Request-Id": {"rid-1"}})
		AddFields(r.Context(), slog.String("plan", "pro"), slog.Group("g", slog.Int("n", 1)), slog.Int("code", 5))
		tr.Done(200)
	}
	norm := func(b []byte) string {
		var e map[string]any
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		f := e["Fields"].(map[string]any)
		delete(f, "t")
		delete(f, "rid")
		out, _ := json.Marshal(e)
		return string(out)
	}
	if a, b := norm(direct.Bytes()), norm(viaSlog.Bytes()); a != b {
		t.Errorf("MozlogLogger: %s\nslog:        %s", a, b)
	}
	if !strings.Contains(direct.String(), `"g.n":1`) || !strings.Contains(direct.String(), `"app.code":5`) {
		t.Errorf("line: %s", direct.String())
	}
}

// Added fields are bounded in number, in size and by what the summary's
// own fields leave of the line: whatever is added, the line is one valid
// mozlog line under 16 KiB, and says how many fields it dropped.
func TestAddFieldsBounded(t *testing.T) {
	var logs bytes.Buffer
	s := testService(t, Config{Logger: &MozlogLogger{Out: &logs}, SummaryQueryString: true})
	huge := strings.Repeat("\x01", 1<<20)
	t.Run("count", func(t *testing.T) {
		logs.Reset()
		r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
		for i := range 100 {
			AddFields(r.Context(), slog.Int(fmt.Sprintf("f%03d", i), i))
		}
		tr.Done(200)
		f := loggedFields(t, logs.Bytes())
		if f["f031"] != 31.0 || f["f032"] != nil || f["fields_dropped"] != 68.0 {
			t.Errorf("f031 %v, f032 %v, fields_dropped %v", f["f031"], f["f032"], f["fields_dropped"])
		}
	})
	t.Run("size", func(t *testing.T) {
		logs.Reset()
		r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
		AddFields(r.Context(), slog.String(huge, huge), slog.String("a", huge), slog.String("b", huge), slog.String("c", huge),
			slog.String("d", huge), slog.String("e", huge))
		tr.Done(200)
		f := loggedFields(t, logs.Bytes())
		a, _ := f["a"].(string)
		if !strings.HasSuffix(a, "…") || len(a) > capAddedValue || f["fields_dropped"] == nil {
			t.Errorf("a: %d bytes, fields_dropped %v", len(a), f["fields_dropped"])
		}
		for k := range f {
			if len(k) > capAddedKey {
				t.Errorf("a key of %d bytes", len(k))
			}
		}
	})
	t.Run("line", func(t *testing.T) {
		for _, unit := range []string{"a", "\x01", "\u2028"} {
			logs.Reset()
			long := strings.Repeat(unit, 1<<16)
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.Path, req.URL.RawQuery = "/"+long, "q="+long
			req.Header.Set("User-Agent", long)
			req.Header.Set("Accept-Language", long)
			r, tr := s.Adapter().Track(req, http.Header{})
			SetUserID(r.Context(), long)
			tr.SetRoute(long)
			for i := range 40 {
				AddFields(r.Context(), slog.String(fmt.Sprint("k", i), long))
			}
			func() {
				defer func() { _ = recover() }()
				defer tr.Panicked(0, long)
				panic(long)
			}()
			line := logs.Bytes()
			f := loggedFields(t, line)
			if len(line) >= 16<<10 || f["fields_dropped"] == nil {
				t.Errorf("unit %q: %d bytes, fields_dropped %v", unit, len(line), f["fields_dropped"])
			}
		}
	})
}

// A value under a key that names a secret is redacted entirely, also
// when a group's name does (password.value); other texts as the
// request's own strings are.
func TestAddFieldsRedacted(t *testing.T) {
	var logs bytes.Buffer
	s := testService(t, Config{Logger: &MozlogLogger{Out: &logs}, SensitiveKeys: []string{"pin"}})
	r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
	AddFields(r.Context(), slog.String("password", "hunter2"), slog.Int("pin", 1234), slog.String("api_token", "t0k3n"),
		slog.String("db", "postgres://app:hunter3@db/x"), slog.Group("auth", slog.String("secret", "s3")),
		slog.Group("password", slog.String("value", "hunter4")), slog.Group("card", slog.Group("pin", slog.Int("code", 9876))))
	tr.Done(200)
	f := loggedFields(t, logs.Bytes())
	for k, want := range map[string]string{"password": "xxxxx", "pin": "xxxxx", "api_token": "xxxxx", "db": "postgres://app:xxxxx@db/x", "auth.secret": "xxxxx",
		"password.value": "xxxxx", "card.pin.code": "xxxxx"} {
		if f[k] != want {
			t.Errorf("%s = %v, want %s", k, f[k], want)
		}
	}
}

// Fields added before a request is cut short by Close stay in its
// summary; added from many goroutines, none is lost.
func TestAddFieldsCutShortAndConcurrent(t *testing.T) {
	log := &recorder{}
	s := testService(t, Config{Logger: log})
	r, _ := s.Adapter().Track(httptest.NewRequest("GET", "/slow", nil), http.Header{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			AddFields(r.Context(), slog.Int(fmt.Sprint("g", i), i))
		}()
	}
	wg.Wait()
	_ = s.Close()
	sums := log.summaries()
	if len(sums) != 1 {
		t.Fatalf("%d summaries", len(sums))
	}
	got := map[string]bool{}
	for _, a := range sums[0].AppendAttrs(nil) {
		got[a.Key] = true
	}
	for i := range 8 {
		if !got[fmt.Sprint("g", i)] {
			t.Errorf("g%d lost from the cut summary: %v", i, got)
		}
	}
}

// remoteAddressChain holds IP addresses only, the last 15 of
// X-Forwarded-For then the client's, whatever the headers hold.
func TestRemoteAddressChain(t *testing.T) {
	var many []string
	for i := range 40 {
		many = append(many, fmt.Sprintf("198.51.100.%d", i))
	}
	for _, tc := range []struct {
		xff    []string
		remote string
		want   string
	}{
		{nil, "192.0.2.1:1234", "[192.0.2.1]"},
		{[]string{"203.0.113.7"}, "[2001:db8::1]:443", "[203.0.113.7 2001:db8::1]"},
		{[]string{"unknown, _hidden, 203.0.113.7:80, password=S3CRET", " 10.0.0.1 "}, "192.0.2.1:1", "[10.0.0.1 192.0.2.1]"},
		{[]string{strings.Join(many, ",")}, "192.0.2.1:1", "[" + strings.Join(many[25:], " ") + " 192.0.2.1]"},
		{nil, "@unix", "[]"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		r.Header["X-Forwarded-For"] = tc.xff
		if got := fmt.Sprint(remoteAddressChain(r)); got != tc.want {
			t.Errorf("X-Forwarded-For %q, remote %q: %s, want %s", tc.xff, tc.remote, got, tc.want)
		}
	}
}

// A request cut short by Close has no size: its body was not finished.
func TestResponseSizeCutShort(t *testing.T) {
	var logs bytes.Buffer
	s := testService(t, Config{Logger: &MozlogLogger{Out: &logs}, SummaryFields: []string{"size"}})
	_, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
	tr.ResponseSize(10)
	_ = s.Close()
	if f := loggedFields(t, logs.Bytes()); f["size"] != nil || f["code"] != 503.0 {
		t.Errorf("cut short: size %v, code %v", f["size"], f["code"])
	}
	logs.Reset()
	_, tr = s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
	tr.ResponseSize(10)
	tr.Done(200)
	if f := loggedFields(t, logs.Bytes()); f["size"] != 10.0 {
		t.Errorf("size %v, want 10", f["size"])
	}
}
