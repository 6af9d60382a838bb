package mozlogzap_test

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
	mozlogzap "github.com/dockerflow-go/dockerflow/logformat/zap"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

var fixedTime = time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)

func fixedOptions() *mozlog.Options {
	return &mozlog.Options{Logger: "svc", Hostname: "host-1", Pid: 42, Now: func() time.Time { return fixedTime }}
}

// newZap returns a zap logger writing mozlog into buf at every level.
func newZap(opts *mozlog.Options, zopts ...zap.Option) (*zap.Logger, *bytes.Buffer) {
	buf := &bytes.Buffer{}
	return zap.New(mozlogzap.NewCore(buf, opts, zapcore.DebugLevel), zopts...), buf
}

// checkLines asserts each line of buf is mozlog under 16 KiB and returns
// them decoded.
func checkLines(t testing.TB, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	return dockerflowtest.MozlogLines(t, buf.Bytes())
}

func fields(m map[string]any) map[string]any { return m["Fields"].(map[string]any) }

func TestGoldenLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  func(l *zap.Logger)
		want string
	}{
		{"info", func(l *zap.Logger) { l.Info("signed in", zap.String("user", "ann"), zap.Int("n", 3)) },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"msg":"signed in","n":3,"user":"ann"}}`},
		{"type-and-error", func(l *zap.Logger) {
			l.Error("write failed", zap.String(mozlog.TypeKey, "app.audit"), zap.Error(errors.New("disk <full>")))
		}, `{"Timestamp":1795514400123456789,"Type":"app.audit","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":3,"Pid":42,"Fields":{"error":"disk <full>","msg":"write failed"}}`},
		{"with-and-namespace", func(l *zap.Logger) {
			l.With(zap.String(mozlog.TypeKey, "app.db"), zap.String("db", "main")).Warn("slow", zap.Namespace("q"), zap.Int("rows", 7), zap.Duration("t", 1500*time.Millisecond))
		}, `{"Timestamp":1795514400123456789,"Type":"app.db","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":4,"Pid":42,"Fields":{"db":"main","msg":"slow","q.rows":7,"q.t":"1.5s"}}`},
		{"msg-field-clash", func(l *zap.Logger) { l.Info("theirs", zap.String("msg", "mine")) },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"fields.msg":"mine","msg":"theirs"}}`},
		{"escapes", func(l *zap.Logger) { l.Info("line1\nline2", zap.String("ua", "a\"b\\c\nd\te\x01\u2028")) },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"msg":"line1\nline2","ua":"a\"b\\c\nd\te\u0001\u2028"}}`},
		{"invalid-utf8", func(l *zap.Logger) { l.Info("m\xc3", zap.String("k\xff", "v\xfe")) },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"k\ufffd":"v\ufffd","msg":"m\ufffd"}}`},
		{"json-message", func(l *zap.Logger) { l.Info(`{"already":"structured"}`, zap.String("k", "v")) },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"already":"structured","k":"v","msg":"{\"already\":\"structured\"}"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, buf := newZap(fixedOptions())
			tc.log(l)
			checkLines(t, buf)
			if got := strings.TrimSuffix(buf.String(), "\n"); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

type user struct{ name string }

func (u user) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("name", u.name)
	return enc.AddObject("deep", zapcore.ObjectMarshalerFunc(func(e zapcore.ObjectEncoder) error { e.AddInt("x", 1); return nil }))
}

type badStringer struct{}

func (badStringer) String() string { panic("stringer exploded") }

type badObject struct{}

func (badObject) MarshalLogObject(zapcore.ObjectEncoder) error { return errors.New("cannot marshal") }

// Every kind of zap field, and hostile ones, make a whole line.
func TestFieldKinds(t *testing.T) {
	l, buf := newZap(fixedOptions())
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	l.Info("v", zap.Float64("nan", math.NaN()), zap.Float32("f32", 1.5), zap.Uint64("big", math.MaxUint64), zap.Bool("b", true),
		zap.Time("at", fixedTime), zap.Binary("bin", []byte{0, 1}), zap.ByteString("bs", []byte("raw")), zap.Ints("list", []int{1, 2}),
		zap.Object("user", user{"ann"}), zap.Inline(user{"inl"}), zap.Stringer("str", badStringer{}), zap.Object("bad", badObject{}),
		zap.Any("cyclic", cyclic), zap.Any("ch", make(chan int)), zap.Complex128("c", complex(1, 2)), zap.Skip(),
		zap.Reflect("obj", map[string]any{"a": 1}), zap.Error(nil), zap.NamedError("nerr", errors.New("e")))
	f := fields(checkLines(t, buf)[0])
	for k, want := range map[string]any{
		"nan": "NaN", "f32": json.Number("1.5"), "big": json.Number("18446744073709551615"), "b": true,
		"at": "2026-11-24T10:00:00.123456789Z", "bin": "AAE=", "bs": "raw", "name": "inl", "c": "(1+2i)", "nerr": "e",
		"str": "PANIC=stringer exploded",
	} {
		if f[k] != want {
			t.Errorf("%s = %#v, want %#v", k, f[k], want)
		}
	}
	if u, _ := f["user"].(map[string]any); u["name"] != "ann" || u["deep"] != `{"x":1}` {
		t.Errorf("user = %#v: want an object, its nested object as JSON text", f["user"])
	}
	if f["badError"] != "cannot marshal" || f["cyclic"] == nil || f["ch"] == nil {
		t.Errorf("bad = %v, badError %v, cyclic %v, ch %v", f["bad"], f["badError"], f["cyclic"], f["ch"])
	}
}

// The same hostile values as the logrus formatter's: one valid line under
// 16 KiB whatever a field holds, huge ones cut.
func TestHugeFields(t *testing.T) {
	l, buf := newZap(fixedOptions())
	huge := strings.Repeat("\x01é\u2028", 1<<18)
	l.Info(huge, zap.String("a", huge), zap.String(huge, "k"), zap.Int("n", 1), zap.Strings("many", strings.Split(huge[:1<<16], "")))
	for i := 0; i < 2000; i++ {
		l = l.With(zap.Int(fmt.Sprint("w", i), i))
	}
	l.Info("with 2000 fields")
	lines := checkLines(t, buf)
	if len(lines) != 2 || fields(lines[0])["n"] != json.Number("1") || fields(lines[1])["fields_dropped"] == nil {
		t.Errorf("%d lines: %v", len(lines), fields(lines[0])["n"])
	}
}

func TestSeverities(t *testing.T) {
	l, buf := newZap(fixedOptions())
	l.Debug("d")
	l.Info("i")
	l.Warn("w")
	l.Error("e")
	l.DPanic("dp") // a production logger: no panic
	func() {
		defer func() { _ = recover() }()
		l.Panic("p")
	}()
	var got []string
	for _, m := range checkLines(t, buf) {
		got = append(got, fmt.Sprint(m["Severity"]))
	}
	if strings.Join(got, " ") != "7 6 4 3 2 1" {
		t.Errorf("severities %v, want 7 6 4 3 2 1", got)
	}
}

// zap's logger name, caller and stack are fields of their own.
func TestNameCallerStack(t *testing.T) {
	l, buf := newZap(fixedOptions(), zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel))
	l.Named("db").Error("down")
	f := fields(checkLines(t, buf)[0])
	if f["logger"] != "db" || !strings.Contains(fmt.Sprint(f["caller"]), "zap_test.go:") || !strings.Contains(fmt.Sprint(f["stacktrace"]), "TestNameCallerStack") {
		t.Errorf("fields %v", f)
	}
}

// Context adds a request's IDs, on this core and on zap's own JSON.
func TestContext(t *testing.T) {
	ctx := dockerflow.WithRequestID(context.Background(), "rid-7")
	l, buf := newZap(fixedOptions())
	l.Info("in a request", mozlogzap.Context(ctx))
	l.With(mozlogzap.Context(ctx)).Info("with")
	l.Info("none", mozlogzap.Context(context.Background()))
	lines := checkLines(t, buf)
	for i, want := range []any{"rid-7", "rid-7", nil} {
		if got := fields(lines[i])["rid"]; got != want {
			t.Errorf("line %d: rid %v, want %v", i, got, want)
		}
	}
	var jbuf bytes.Buffer
	jl := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&jbuf), zapcore.InfoLevel))
	jl.Info("zap's own", mozlogzap.Context(ctx))
	if !strings.Contains(jbuf.String(), `"rid":"rid-7"`) {
		t.Errorf("zap's JSON core: %s", jbuf.String())
	}
}

// Through dockerflow: the summaries whatever the level, events at theirs,
// on one stream with the application's lines.
func TestDockerflowThroughZap(t *testing.T) {
	buf := &bytes.Buffer{}
	l := zap.New(mozlogzap.NewCore(buf, fixedOptions(), zapcore.ErrorLevel))
	svc, err := dockerflow.New(dockerflow.Config{Logger: mozlogzap.NewLogger(l)})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	kit := svc.Adapter()
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dockerflow.AddFields(r.Context(), slog.String("plan", "pro"))
		l.Error("failed", mozlogzap.Context(r.Context()))
		w.WriteHeader(http.StatusTeapot)
	})
	req := httptest.NewRequest("GET", "/tea", nil)
	req.Header.Set("X-Request-Id", "r-1")
	r, tr := kit.Track(req, http.Header{})
	app.ServeHTTP(httptest.NewRecorder(), r)
	tr.Done(http.StatusTeapot)
	mozlogzap.NewLogger(l).LogEvent(context.Background(), dockerflow.Event{Type: "x", Level: dockerflow.LevelInfo, Msg: "below the level"})
	mozlogzap.NewLogger(l).LogEvent(context.Background(), dockerflow.Event{Type: "x", Level: dockerflow.LevelCritical, Msg: "critical"})
	lines := checkLines(t, buf)
	if len(lines) != 3 {
		t.Fatalf("%d lines: %s", len(lines), buf)
	}
	if lines[0]["Type"] != "app.log" || fields(lines[0])["rid"] != "r-1" {
		t.Errorf("the application's line: %v", lines[0])
	}
	if f := fields(lines[1]); lines[1]["Type"] != mozlog.TypeSummary || f["code"] != json.Number("418") || f["rid"] != "r-1" || f["plan"] != "pro" {
		t.Errorf("the summary: %v", lines[1])
	}
	if lines[2]["Severity"] != json.Number("2") {
		t.Errorf("critical: %v", lines[2])
	}
}

// DOCKERFLOW_LOG_FORMAT and DOCKERFLOW_LOG_CLOUD_SEVERITY reach the core
// through its Options; a core that writes otherwise fails New.
func TestLogSettingsReachZap(t *testing.T) {
	dockerflowtest.LogSettings(t, func(o mozlog.Options, out io.Writer) (dockerflow.Logger, func()) {
		l := zap.New(mozlogzap.NewCore(out, &o, zapcore.DebugLevel))
		return mozlogzap.NewLogger(l), func() { l.Info("hello", zap.String("k", "v")) }
	},
		mozlogzap.NewLogger(zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel))),
		mozlogzap.NewLogger(zap.New(mozlogzap.NewCore(io.Discard, nil, zapcore.InfoLevel))))
}
