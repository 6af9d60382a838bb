package logformat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/dockerflow-go/dockerflow/logformat"
	"github.com/sirupsen/logrus"
)

var fixedTime = time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)

func fixedFormatter() *logformat.Formatter {
	return &logformat.Formatter{Logger: "svc", Hostname: "host-1", Pid: 42, Now: func() time.Time { return fixedTime }}
}

// newLogrus returns a logger writing mozlog into buf at every level.
func newLogrus(f *logformat.Formatter) (*logrus.Logger, *bytes.Buffer) {
	buf := &bytes.Buffer{}
	l := logrus.New()
	l.SetOutput(buf)
	l.SetFormatter(f)
	l.SetLevel(logrus.TraceLevel)
	return l, buf
}

// checkLine asserts one line holds to the mozlog constraints and returns it
// decoded.
func checkLine(t testing.TB, line []byte) map[string]any {
	t.Helper()
	if err := mozlog.Check(line); err != nil {
		t.Fatalf("%v: %q", err, line)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkLines checks every line of buf and returns them decoded.
func checkLines(t testing.TB, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.SplitAfter(buf.Bytes(), []byte("\n")) {
		if len(line) > 0 {
			out = append(out, checkLine(t, line))
		}
	}
	return out
}

func TestGoldenLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  func(l *logrus.Logger)
		want string
	}{
		{"info", func(l *logrus.Logger) { l.WithFields(logrus.Fields{"user": "ann", "n": 3}).Info("signed in") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"msg":"signed in","n":3,"user":"ann"}}`},
		{"no-message", func(l *logrus.Logger) { l.WithField("k", "v").Warn("") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":4,"Pid":42,"Fields":{"k":"v"}}`},
		{"json-message", func(l *logrus.Logger) { l.WithField("k", "v").Error(`{"already":"structured"}`) },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":3,"Pid":42,"Fields":{"already":"structured","k":"v","msg":"{\"already\":\"structured\"}"}}`},
		{"nothing-at-all", func(l *logrus.Logger) { l.Debug("") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":7,"Pid":42,"Fields":{"msg":""}}`},
		{"trace", func(l *logrus.Logger) { l.Trace("deep") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":7,"Pid":42,"Fields":{"msg":"deep"}}`},
		{"type-and-error", func(l *logrus.Logger) {
			l.WithFields(logrus.Fields{mozlog.TypeKey: "app.audit", "error": errors.New("disk <full>")}).Error("write failed")
		}, `{"Timestamp":1795514400123456789,"Type":"app.audit","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":3,"Pid":42,"Fields":{"error":"disk <full>","msg":"write failed"}}`},
		{"msg-field-clash", func(l *logrus.Logger) { l.WithField("msg", "mine").Info("theirs") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"fields.msg":"mine","msg":"theirs"}}`},
		{"escapes", func(l *logrus.Logger) { l.WithField("ua", "a\"b\\c\nd\te\x01\u2028").Info("line1\nline2") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"msg":"line1\nline2","ua":"a\"b\\c\nd\te\u0001\u2028"}}`},
		{"invalid-utf8", func(l *logrus.Logger) { l.WithField("k\xff", "v\xfe").Info("m\xc3") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"k\ufffd":"v\ufffd","msg":"m\ufffd"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, buf := newLogrus(fixedFormatter())
			tc.log(l)
			checkLine(t, buf.Bytes())
			if got := strings.TrimSuffix(buf.String(), "\n"); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	l, buf := newLogrus(fixedFormatter())
	l.WithFields(logrus.Fields{
		"nan": math.NaN(), "inf": math.Inf(-1), "f": 1.5, "big": uint64(math.MaxUint64), "b": true, "nil": nil,
		"d": 1500 * time.Millisecond, "at": fixedTime, "bytes": []byte("raw"), "list": []int{1, 2},
		"obj": map[string]any{"a": 1, "deep": map[string]int{"x": 1}}, "c": complex(1, 2),
	}).Info("v")
	checkLine(t, buf.Bytes())
	for _, want := range []string{
		`"nan":"NaN"`, `"inf":"-Inf"`, `"f":1.5`, `"big":18446744073709551615`, `"b":true`, `"nil":null`,
		`"d":"1.5s"`, `"at":"2026-11-24T10:00:00.123456789Z"`, `"bytes":"raw"`, `"list":[1,2]`,
		`"obj":{"a":1,"deep":"{\"x\":1}"}`, `"c":"(1+2i)"`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("line lacks %s: %s", want, buf.String())
		}
	}
}

// opaque is a struct whose fields are all unexported: JSON writes it {}.
type opaque struct {
	id   int
	name string
}

// No field is lost without a word (issue 33: a func was dropped by logrus
// and the line said nothing; a struct of unexported fields logged {}): a
// value JSON leaves empty is written as its %v text, and what logrus
// dropped is said under logrus_error, as logrus's own formatters say it.
func TestNoFieldLostSilently(t *testing.T) {
	l, buf := newLogrus(fixedFormatter())
	l.WithFields(logrus.Fields{"callback": func() {}, "conn": opaque{7, "db"}, "ptr": &opaque{8, "cache"}, "empty": struct{}{}}).Info("v")
	fields := checkLine(t, buf.Bytes())["Fields"].(map[string]any)
	if fields["conn"] != "{7 db}" || fields["ptr"] != "&{8 cache}" {
		t.Errorf("structs of unexported fields: conn %v, ptr %v, want their %%v text", fields["conn"], fields["ptr"])
	}
	if e, _ := fields["logrus_error"].(string); !strings.Contains(e, `"callback"`) {
		t.Errorf("the dropped func field is not named: logrus_error %q in %s", e, buf)
	}
	if _, ok := fields["empty"].(map[string]any); !ok {
		t.Errorf("an empty struct is {}: %v", fields["empty"])
	}
}

type badMarshaler struct{}

func (badMarshaler) MarshalJSON() ([]byte, error) { panic("marshal exploded") }

type badError struct{ p *int }

func (e *badError) Error() string { return fmt.Sprint(*e.p) }

type node struct {
	Name string
	Next *node
}

// Whatever a field holds, the line is written whole.
func TestHostileValues(t *testing.T) {
	cyclicMap := map[string]any{}
	cyclicMap["self"] = cyclicMap
	cyclicSlice := []any{nil}
	cyclicSlice[0] = cyclicSlice
	loop := &node{Name: "a"}
	loop.Next = loop
	for name, v := range map[string]any{
		"chan": make(chan int), "func": func() {}, "cyclic-map": cyclicMap, "cyclic-slice": cyclicSlice,
		"cyclic-pointer": loop, "panicking-marshaler": badMarshaler{}, "panicking-error": &badError{},
		"nan-in-struct": struct{ F float64 }{math.NaN()}, "nil-error": error(nil), "typed-nil-error": (*badError)(nil),
		"unsafe-map-key": map[[2]int]string{{1, 2}: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			l, buf := newLogrus(fixedFormatter())
			l.WithField("v", v).Info("hostile")
			m := checkLine(t, buf.Bytes())
			if m["Fields"].(map[string]any)["msg"] != "hostile" {
				t.Errorf("message lost: %s", buf)
			}
		})
	}
}

func TestRequestIDFromContext(t *testing.T) {
	l, buf := newLogrus(fixedFormatter())
	ctx := dockerflow.WithRequestID(context.Background(), "rid-7")
	l.WithContext(ctx).Info("in a request")
	l.WithContext(ctx).WithField("rid", "explicit").Info("explicit wins")
	l.WithContext(context.Background()).Info("no request")
	lines := checkLines(t, buf)
	for i, want := range []any{"rid-7", "explicit", nil} {
		if got := lines[i]["Fields"].(map[string]any)["rid"]; got != want {
			t.Errorf("line %d rid = %v, want %v", i, got, want)
		}
	}
}

func TestDefaults(t *testing.T) {
	l, buf := newLogrus(&logformat.Formatter{})
	l.Info("x")
	m := checkLine(t, buf.Bytes())
	if m["Type"] != "app.log" || m["Logger"] == "" || m["Hostname"] == "" || m["EnvVersion"] != "2.0" {
		t.Errorf("zero Formatter wrote %s", buf)
	}
	if ts, _ := m["Timestamp"].(json.Number).Int64(); time.Since(time.Unix(0, ts)) > time.Minute {
		t.Errorf("Timestamp %d is not now", ts)
	}
}

// Every level reaches the line with syslog's severity; trace is 7, not
// dropped.
func TestSeverities(t *testing.T) {
	for lv, want := range map[logrus.Level]int{logrus.PanicLevel: 1, logrus.FatalLevel: 2, logrus.ErrorLevel: 3,
		logrus.WarnLevel: 4, logrus.InfoLevel: 6, logrus.DebugLevel: 7, logrus.TraceLevel: 7} {
		line, err := fixedFormatter().Format(&logrus.Entry{Level: lv, Message: "m", Data: logrus.Fields{}})
		if err != nil {
			t.Fatal(err)
		}
		if m := checkLine(t, line); m["Severity"] != json.Number(fmt.Sprint(want)) {
			t.Errorf("%v: Severity %v, want %d", lv, m["Severity"], want)
		}
	}
}

// A dockerflow event reaches logrus at its level: critical is fatal's
// severity without exiting; a level below debug is trace.
func TestEventLevels(t *testing.T) {
	for lv, want := range map[dockerflow.Level]int{dockerflow.LevelCritical: 2, dockerflow.LevelError: 3, dockerflow.LevelWarning: 4,
		dockerflow.LevelInfo: 6, 25: 6, dockerflow.LevelDebug: 7, 5: 7} {
		l, buf := newLogrus(fixedFormatter())
		logformat.NewLogger(l).LogEvent(context.Background(), dockerflow.Event{Type: "t", Level: lv, Msg: "m"})
		if m := checkLine(t, buf.Bytes()); m["Severity"] != json.Number(fmt.Sprint(want)) {
			t.Errorf("%v: Severity %v, want %d", lv, m["Severity"], want)
		}
	}
}

// The slog handler writes the same line as the logrus formatter.
func TestHandlerMatchesFormatter(t *testing.T) {
	l, lbuf := newLogrus(fixedFormatter())
	l.WithContext(dockerflow.WithRequestID(context.Background(), "r1")).
		WithFields(logrus.Fields{mozlog.TypeKey: "app.audit", "user": "ann", "n": 3, "err": errors.New("e")}).Warn("careful")

	var sbuf bytes.Buffer
	h := mozlog.NewHandler(&sbuf, &mozlog.Options{Logger: fixedFormatter().Logger, Hostname: fixedFormatter().Hostname, Pid: fixedFormatter().Pid, Now: fixedFormatter().Now})
	slog.New(h).With(mozlog.TypeKey, "app.audit").WarnContext(dockerflow.WithRequestID(context.Background(), "r1"),
		"careful", "user", "ann", "n", 3, "err", errors.New("e"))
	if lbuf.String() != sbuf.String() {
		t.Errorf("logrus:\n  %s\nslog:\n  %s", lbuf.String(), sbuf.String())
	}
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	h := mozlog.NewHandler(&buf, &mozlog.Options{Logger: fixedFormatter().Logger, Hostname: fixedFormatter().Hostname, Pid: fixedFormatter().Pid, Now: fixedFormatter().Now, Level: slog.LevelDebug})
	lg := slog.New(h)
	lg.Debug("d", "a", 1)
	lg.WithGroup("req").With("id", 7).Info("grouped", slog.Group("inner", "k", "v"), "x", 2)
	lg.Info("dup", "k", 1, "k", 2)
	lg.Log(context.Background(), slog.LevelError+4, "critical")
	lg.Log(context.Background(), slog.LevelDebug-4, "trace is dropped by Level")
	lines := checkLines(t, &buf)
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4: %s", len(lines), buf.String())
	}
	fields := lines[1]["Fields"].(map[string]any)
	if fields["req.id"] != json.Number("7") || fields["req.inner.k"] != "v" || fields["req.x"] != json.Number("2") {
		t.Errorf("groups: %v", fields)
	}
	if lines[2]["Fields"].(map[string]any)["k"] != json.Number("2") {
		t.Errorf("duplicate keys: %v", lines[2])
	}
	if lines[3]["Severity"] != json.Number("2") {
		t.Errorf("critical severity %v", lines[3]["Severity"])
	}
	if !h.Enabled(context.Background(), slog.LevelDebug) || mozlog.NewHandler(&buf, nil).Enabled(context.Background(), slog.LevelDebug) {
		t.Error("Enabled does not follow Level (default info)")
	}
}

// Through the net/http middleware, each request writes one mozlog
// request.summary line with every field.
func TestSummaryThroughMiddleware(t *testing.T) {
	l, buf := newLogrus(fixedFormatter())
	svc, err := dockerflow.New(dockerflow.Config{Logger: logformat.NewLogger(l), SummaryQueryString: true})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.WithContext(r.Context()).Info("handling")
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		w.WriteHeader(http.StatusTeapot)
	})
	h := track(svc, app)
	req := httptest.NewRequest("GET", "/tea?x=caf%C3%A9", nil)
	req.Header.Set("X-Request-ID", "rid-1")
	req.Header.Set("User-Agent", "ua\n{\"injected\":1}")
	req.Header.Set("Accept-Language", "de")
	h.ServeHTTP(httptest.NewRecorder(), req)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/panic", nil))

	lines := checkLines(t, buf)
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), buf)
	}
	if f := lines[0]["Fields"].(map[string]any); f["rid"] != "rid-1" || f["msg"] != "handling" {
		t.Errorf("app line did not get the request ID: %v", f)
	}
	s := lines[1]
	f := s["Fields"].(map[string]any)
	if s["Type"] != "request.summary" || s["Severity"] != json.Number("6") {
		t.Errorf("summary envelope %v", s)
	}
	want := map[string]any{"agent": "ua\n{\"injected\":1}", "lang": "de", "method": "GET", "path": "/tea", "code": json.Number("418"),
		"errno": json.Number("418"), "rid": "rid-1", "uid": "", "querystring": "x=café"}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("summary %s = %#v, want %#v", k, f[k], v)
		}
	}
	if _, ok := f["t"].(json.Number); !ok || len(f) != len(want)+1 {
		t.Errorf("summary fields %v: want exactly %d with t", f, len(want)+1)
	}
	p := lines[3]
	if pf := p["Fields"].(map[string]any); p["Severity"] != json.Number("3") || pf["msg"] != "boom" || pf["errno"] != json.Number("500") {
		t.Errorf("panic summary %v", p)
	}
}

// Nothing in the package touches logrus's standard logger.
func TestNoGlobalSideEffects(t *testing.T) {
	std := logrus.StandardLogger()
	before, out := std.Formatter, std.Out
	l, _ := newLogrus(&logformat.Formatter{})
	logformat.NewLogger(l).LogEvent(context.Background(), dockerflow.Event{Type: "x", Level: dockerflow.LevelInfo, Msg: "m"})
	if std.Formatter != before || std.Out != out {
		t.Error("the standard logger changed")
	}
}

func FuzzFormatter(f *testing.F) {
	f.Add("key", "value", "message", int64(1), 1.5)
	f.Add("msg", "{\"a\":1}", "{}", int64(-1), math.NaN())
	f.Add("\xff", "\n\r\t\"\\", "\u2028", int64(math.MinInt64), math.Inf(1))
	f.Add("", "", "", int64(0), 0.0)
	f.Add(mozlog.TypeKey, "rid", "{", int64(7), -0.0)
	f.Fuzz(func(t *testing.T, key, sval, msg string, n int64, fl float64) {
		l, buf := newLogrus(fixedFormatter())
		l.WithFields(logrus.Fields{key: sval, key + "n": n, key + "f": fl, "obj": map[string]any{key: sval, "in": map[string]any{key: n}}}).Info(msg)
		checkLine(t, buf.Bytes())

		var sbuf bytes.Buffer
		slog.New(mozlog.NewHandler(&sbuf, nil)).Info(msg, key, sval, key+"n", n, key+"f", fl, slog.Group(key, "x", sval))
		checkLine(t, sbuf.Bytes())
	})
}

// Many attributes, some sharing keys: sorted, the last of each key kept.
func TestManyFields(t *testing.T) {
	var buf bytes.Buffer
	args := []any{}
	for i := 0; i < 40; i++ {
		args = append(args, fmt.Sprintf("k%02d", i%30), i)
	}
	slog.New(mozlog.NewHandler(&buf, nil)).Info("many", args...)
	fields := checkLine(t, buf.Bytes())["Fields"].(map[string]any)
	if len(fields) != 31 || fields["k00"] != json.Number("30") || fields["k29"] != json.Number("29") {
		t.Errorf("fields %v", fields)
	}
	if i, j := strings.Index(buf.String(), `"k00"`), strings.Index(buf.String(), `"k29"`); i < 0 || i > j {
		t.Errorf("keys not sorted: %s", buf.String())
	}
}

// Summaries are written whatever the application's log level: a service
// at warn level (a common production setting) still logs one per request,
// through logrus and through slog.
func TestSummariesWhateverTheLevel(t *testing.T) {
	l, lbuf := newLogrus(fixedFormatter())
	l.SetLevel(logrus.WarnLevel)
	sbuf := &bytes.Buffer{}
	slogger := slog.New(mozlog.NewHandler(sbuf, &mozlog.Options{Level: slog.LevelWarn}))
	for name, tc := range map[string]struct {
		logger dockerflow.Logger
		buf    *bytes.Buffer
	}{
		"logrus": {logformat.NewLogger(l), lbuf},
		"slog":   {dockerflow.SlogLogger(slogger), sbuf},
	} {
		svc, err := dockerflow.New(dockerflow.Config{Logger: tc.logger})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.WithContext(r.Context()).Info("below the level")
			slogger.InfoContext(r.Context(), "below the level")
		})
		h := track(svc, app)
		for i := 0; i < 3; i++ {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
		}
		lines := checkLines(t, tc.buf)
		if len(lines) != 3 {
			t.Fatalf("%s: %d lines at warn level, want 3 summaries:\n%s", name, len(lines), tc.buf)
		}
		for _, line := range lines {
			if line["Type"] != "request.summary" || line["Severity"] != json.Number("6") {
				t.Errorf("%s: line %v, want an info summary", name, line)
			}
		}
	}
}

// A panic's summary carries the error and the stack, once, on one line
// under the 16 KiB container runtimes split at.
func TestPanicSummaryHasTraceback(t *testing.T) {
	l, buf := newLogrus(fixedFormatter())
	svc, err := dockerflow.New(dockerflow.Config{Logger: logformat.NewLogger(l)})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	var deep func(n int)
	deep = func(n int) {
		if n == 0 {
			panic("deep trouble")
		}
		deep(n - 1)
	}
	app := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { deep(500) })
	track(svc, app).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	lines := checkLines(t, buf)
	if len(lines) != 1 || buf.Len() >= 16<<10 {
		t.Fatalf("%d lines, %d bytes; want one line under 16 KiB", len(lines), buf.Len())
	}
	f := lines[0]["Fields"].(map[string]any)
	tb, _ := f["traceback"].(string)
	if f["error"] != "deep trouble" || !strings.Contains(tb, "logformat_test.TestPanicSummaryHasTraceback") || !strings.HasSuffix(tb, "…(cut)") {
		t.Errorf("fields %v: want the error, and the stack cut with a marker", f)
	}
}

// track is the request middleware every adapter builds from the service,
// reduced to what these tests need (an adapter would be another module's
// dependency): the request ID and the summary, a panic logged and
// answered 500.
func track(svc *dockerflow.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, t := svc.Adapter().Track(r, w.Header())
		rec := httptest.NewRecorder()
		defer func() {
			if v := recover(); v != nil {
				t.Panicked(0, v)
				w.WriteHeader(http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(rec, r)
		t.Done(rec.Code)
		w.WriteHeader(rec.Code)
	})
}

// An entry logged with a request's context carries the trace-id of its
// traceparent as trace_id, beside rid, through logrus and slog.
func TestTraceIDFromContext(t *testing.T) {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req, _ = svc.Adapter().Track(req, http.Header{})
	l, lbuf := newLogrus(fixedFormatter())
	l.WithContext(req.Context()).Info("inside")
	var sbuf bytes.Buffer
	slog.New(mozlog.NewHandler(&sbuf, nil)).InfoContext(req.Context(), "inside")
	for name, buf := range map[string]*bytes.Buffer{"logrus": lbuf, "slog": &sbuf} {
		if !strings.Contains(buf.String(), `"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`) || !strings.Contains(buf.String(), `"rid":"`) {
			t.Errorf("%s: %s", name, buf)
		}
	}
}

// With CloudSeverity, every front end adds Cloud Logging's severity name.
func TestCloudSeverityFrontEnds(t *testing.T) {
	f := fixedFormatter()
	f.CloudSeverity = true
	l, lbuf := newLogrus(f)
	l.Error("broke")
	var sbuf bytes.Buffer
	slog.New(mozlog.NewHandler(&sbuf, &mozlog.Options{CloudSeverity: true})).Warn("slow")
	var cbuf bytes.Buffer
	(&dockerflow.MozlogLogger{Out: &cbuf, Options: mozlog.Options{CloudSeverity: true}}).LogEvent(context.Background(), dockerflow.Event{Type: "t", Level: dockerflow.LevelCritical, Msg: "down"})
	for name, tc := range map[string]struct {
		buf  *bytes.Buffer
		want string
	}{"logrus": {lbuf, `"Severity":3,"severity":"ERROR"`}, "slog": {&sbuf, `"Severity":4,"severity":"WARNING"`}, "core": {&cbuf, `"Severity":2,"severity":"CRITICAL"`}} {
		if !strings.Contains(tc.buf.String(), tc.want) {
			t.Errorf("%s: %s, want %s", name, tc.buf, tc.want)
		}
		if err := mozlog.Check(tc.buf.Bytes()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The text format, on every front end: one human line per entry, and the
// default (mozlog) still JSON.
func TestTextFormatFrontEnds(t *testing.T) {
	now := func() time.Time { return time.Unix(1795514400, 0) }
	f := &logformat.Formatter{Now: now, Text: true}
	l, lbuf := newLogrus(f)
	l.WithField("order", "A-1").Warn("charge failed")
	var sbuf bytes.Buffer
	slog.New(mozlog.NewHandler(&sbuf, &mozlog.Options{Now: now, Text: true})).Warn("charge failed", "order", "A-1")
	var cbuf bytes.Buffer
	(&dockerflow.MozlogLogger{Out: &cbuf, Options: mozlog.Options{Now: now, Text: true}}).LogEvent(context.Background(),
		dockerflow.Event{Type: "app.log", Level: dockerflow.LevelWarning, Msg: "charge failed", Attrs: []slog.Attr{slog.String("order", "A-1")}})
	const want = "2026-11-24T10:00:00.000Z WARN app.log charge failed order=A-1\n"
	for name, buf := range map[string]*bytes.Buffer{"logrus": lbuf, "slog": &sbuf, "core": &cbuf} {
		if buf.String() != want {
			t.Errorf("%s: %q, want %q", name, buf, want)
		}
	}
	o, err := mozlog.OptionsFromEnv(dockerflowtest.Env(map[string]string{"DOCKERFLOW_LOG_FORMAT": "TEXT"}))
	if err != nil || !o.Text {
		t.Errorf("DOCKERFLOW_LOG_FORMAT=TEXT: %+v %v", o, err)
	}
	if _, err := dockerflow.ConfigFromEnv(dockerflowtest.Env(map[string]string{"DOCKERFLOW_LOG_FORMAT": "xml"})); err == nil {
		t.Error("DOCKERFLOW_LOG_FORMAT=xml accepted")
	}
}

// DOCKERFLOW_LOG_FORMAT and DOCKERFLOW_LOG_CLOUD_SEVERITY belong to the
// logger: a Formatter built from mozlog.OptionsFromEnv follows them, and
// New leaves it as it was given; a formatter that writes otherwise fails
// New, naming the variables.
func TestLogSettingsReachLogrus(t *testing.T) {
	given := fixedFormatter()
	var others []dockerflow.Logger
	for _, f := range []logrus.Formatter{&logrus.JSONFormatter{}, given} {
		ol := logrus.New()
		ol.SetFormatter(f)
		others = append(others, logformat.NewLogger(ol))
	}
	dockerflowtest.LogSettings(t, func(o mozlog.Options, out io.Writer) (dockerflow.Logger, func()) {
		f := logformat.Formatter(o)
		l, _ := newLogrus(&f)
		l.SetOutput(out)
		return logformat.NewLogger(l), func() { l.WithField("k", "v").Info("hello") }
	}, others...)
	if given.Text || given.CloudSeverity {
		t.Errorf("New changed the Formatter it was given: %+v", given)
	}
}

// The same settings reach a slog logger through its mozlog handler's
// options, and a handler that writes otherwise fails New.
func TestLogSettingsReachSlog(t *testing.T) {
	dockerflowtest.LogSettings(t, func(o mozlog.Options, out io.Writer) (dockerflow.Logger, func()) {
		logger := slog.New(mozlog.NewHandler(out, &o)).With("k", "v")
		return dockerflow.SlogLogger(logger), func() { logger.Info("hello") }
	}, dockerflow.SlogLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))), dockerflow.SlogLogger(slog.New(mozlog.NewHandler(io.Discard, nil))))
}

// Whatever an entry holds, logrus's and slog's lines are one line under
// the 16 KiB container runtimes split at, the longest values cut.
func TestLinesCapped(t *testing.T) {
	huge := strings.Repeat("\x01é\u2028", 1<<18)
	l, buf := newLogrus(fixedFormatter())
	l.WithFields(logrus.Fields{"a": huge, huge: "k", "n": 1}).Info(huge)
	var sbuf bytes.Buffer
	o := mozlog.Options(*fixedFormatter())
	slog.New(mozlog.NewHandler(&sbuf, &o)).Info(huge, "a", huge, huge, "k", "n", 1)
	for name, b := range map[string]*bytes.Buffer{"logrus": buf, "slog": &sbuf} {
		lines := checkLines(t, b)
		if len(lines) != 1 || b.Len() >= 16<<10 || lines[0]["Fields"].(map[string]any)["n"] != json.Number("1") {
			t.Errorf("%s: %d lines, %d bytes", name, len(lines), b.Len())
		}
	}
}
