package mozlogzerolog_test

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
	mozlogzerolog "github.com/dockerflow-go/dockerflow/logformat/zerolog"
	"github.com/rs/zerolog"
)

var fixedTime = time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)

func fixedOptions() *mozlog.Options {
	return &mozlog.Options{Logger: "svc", Hostname: "host-1", Pid: 42, Now: func() time.Time { return fixedTime }}
}

func newZerolog(opts *mozlog.Options) (zerolog.Logger, *bytes.Buffer) {
	buf := &bytes.Buffer{}
	return mozlogzerolog.New(buf, opts), buf
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
		log  func(l zerolog.Logger)
		want string
	}{
		{"info", func(l zerolog.Logger) { l.Info().Str("user", "ann").Int("n", 3).Msg("signed in") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"msg":"signed in","n":3,"user":"ann"}}`},
		{"type-and-error", func(l zerolog.Logger) {
			l.Error().Str(mozlog.TypeKey, "app.audit").Err(errors.New("disk <full>")).Msg("write failed")
		}, `{"Timestamp":1795514400123456789,"Type":"app.audit","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":3,"Pid":42,"Fields":{"error":"disk <full>","msg":"write failed"}}`},
		{"context-and-time", func(l zerolog.Logger) {
			wl := l.With().Str("db", "main").Timestamp().Logger()
			wl.Warn().Dur("t", 1500*time.Millisecond).Msg("slow")
		}, `{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":4,"Pid":42,"Fields":{"db":"main","msg":"slow","t":1500}}`},
		{"msg-field-clash", func(l zerolog.Logger) { l.Info().Str("msg", "mine").Msg("theirs") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"fields.msg":"mine","msg":"theirs"}}`},
		{"escapes", func(l zerolog.Logger) { l.Info().Str("ua", "a\"b\\c\nd\te\x01\u2028").Msg("line1\nline2") },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"msg":"line1\nline2","ua":"a\"b\\c\nd\te\u0001\u2028"}}`},
		{"invalid-utf8", func(l zerolog.Logger) { l.Info().Str("k\xff", "v\xfe").Msg("m\xc3") },
			// zerolog replaces invalid UTF-8 itself.
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"k�":"v�","msg":"m�"}}`},
		{"nested", func(l zerolog.Logger) {
			l.Info().Dict("user", zerolog.Dict().Str("name", "ann").Dict("deep", zerolog.Dict().Int("x", 1))).Ints("list", []int{1, 2}).Msg("n")
		}, `{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"list":[1,2],"msg":"n","user":{"deep":"{\"x\":1}","name":"ann"}}}`},
		{"no-message", func(l zerolog.Logger) { l.Log().Str("k", "v").Send() },
			`{"Timestamp":1795514400123456789,"Type":"app.log","Logger":"svc","Hostname":"host-1","EnvVersion":"2.0","Severity":6,"Pid":42,"Fields":{"k":"v"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, buf := newZerolog(fixedOptions())
			tc.log(l)
			checkLines(t, buf)
			if got := strings.TrimSuffix(buf.String(), "\n"); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

// Values zerolog writes that JSON cannot hold, and hostile ones, make a
// whole line.
func TestHostileValues(t *testing.T) {
	l, buf := newZerolog(fixedOptions())
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	l.Info().Float64("nan", math.NaN()).Float64("inf", math.Inf(1)).Uint64("big", math.MaxUint64).Float64("f", 0.25).
		Interface("cyclic", cyclic).Interface("ch", make(chan int)).Bytes("b", []byte("\xff\x00")).Msg("v")
	f := fields(checkLines(t, buf)[0])
	for k, want := range map[string]any{"nan": "NaN", "inf": "+Inf", "big": json.Number("18446744073709551615"), "f": json.Number("0.25")} {
		if f[k] != want {
			t.Errorf("%s = %#v, want %#v", k, f[k], want)
		}
	}
	if f["msg"] != "v" {
		t.Errorf("message lost: %v", f)
	}
	// Whatever reaches the writer, nothing is lost: what is not JSON (an
	// invalid RawJSON) is the message.
	buf.Reset()
	l.Info().RawJSON("raw", []byte(`{"a":`)).Msg("broken")
	if f := fields(checkLines(t, buf)[0]); !strings.Contains(fmt.Sprint(f["msg"]), `"message":"broken"`) {
		t.Errorf("an invalid event: %v", f)
	}
	buf.Reset()
	w := mozlogzerolog.NewWriter(buf, fixedOptions())
	for _, p := range []string{"not json\n", `{"a":`, `{"a" 1}`, `{}`, "\xff{"} {
		if n, err := w.Write([]byte(p)); err != nil || n != len(p) {
			t.Errorf("%q: %d, %v", p, n, err)
		}
	}
	lines := checkLines(t, buf)
	if len(lines) != 5 || fields(lines[0])["msg"] != "not json" || fields(lines[1])["msg"] != `{"a":` {
		t.Errorf("lines %v", lines)
	}
}

// One valid line under 16 KiB whatever a field holds, huge ones cut.
func TestHugeFields(t *testing.T) {
	l, buf := newZerolog(fixedOptions())
	huge := strings.Repeat("\x01é\u2028", 1<<18)
	l.Info().Str("a", huge).Str(huge, "k").Int("n", 1).Msg(huge)
	c := l.With()
	for i := 0; i < 2000; i++ {
		c = c.Int(fmt.Sprint("w", i), i)
	}
	wl := c.Logger()
	wl.Info().Msg("with 2000 fields")
	lines := checkLines(t, buf)
	if len(lines) != 2 || fields(lines[0])["n"] != json.Number("1") || fields(lines[1])["fields_dropped"] == nil {
		t.Errorf("%d lines", len(lines))
	}
}

func TestSeverities(t *testing.T) {
	l, buf := newZerolog(fixedOptions())
	l.Trace().Msg("t")
	l.Debug().Msg("d")
	l.Info().Msg("i")
	l.Warn().Msg("w")
	l.Error().Msg("e")
	l.WithLevel(zerolog.FatalLevel).Msg("f") // WithLevel: no exit
	l.WithLevel(zerolog.PanicLevel).Msg("p")
	l.Log().Msg("none")
	var got []string
	for _, m := range checkLines(t, buf) {
		got = append(got, fmt.Sprint(m["Severity"]))
	}
	if strings.Join(got, " ") != "7 7 6 4 3 2 1 6" {
		t.Errorf("severities %v, want 7 7 6 4 3 2 1 6", got)
	}
}

// An event given a request's context carries its IDs.
func TestContext(t *testing.T) {
	l, buf := newZerolog(fixedOptions())
	ctx := dockerflow.WithRequestID(context.Background(), "rid-7")
	l.Info().Ctx(ctx).Msg("in a request")
	l.Info().Msg("none")
	lines := checkLines(t, buf)
	if fields(lines[0])["rid"] != "rid-7" || fields(lines[1])["rid"] != nil {
		t.Errorf("rid %v, %v", fields(lines[0])["rid"], fields(lines[1])["rid"])
	}
}

// Through dockerflow: the summaries whatever the level, events at theirs,
// on one stream with the application's lines.
func TestDockerflowThroughZerolog(t *testing.T) {
	l, buf := newZerolog(fixedOptions())
	l = l.Level(zerolog.ErrorLevel)
	svc, err := dockerflow.New(dockerflow.Config{Logger: mozlogzerolog.NewLogger(l)})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dockerflow.AddFields(r.Context(), slog.String("plan", "pro"))
		l.Error().Ctx(r.Context()).Msg("failed")
		w.WriteHeader(http.StatusTeapot)
	})
	req := httptest.NewRequest("GET", "/tea", nil)
	req.Header.Set("X-Request-Id", "r-1")
	r, tr := svc.Adapter().Track(req, http.Header{})
	app.ServeHTTP(httptest.NewRecorder(), r)
	tr.Done(http.StatusTeapot)
	dl := mozlogzerolog.NewLogger(l)
	dl.LogEvent(context.Background(), dockerflow.Event{Type: "x", Level: dockerflow.LevelInfo, Msg: "below the level"})
	dl.LogEvent(dockerflow.WithRequestID(context.Background(), "r-2"), dockerflow.Event{Type: "x", Level: dockerflow.LevelCritical, Msg: "critical"})
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
	if lines[2]["Severity"] != json.Number("2") || fields(lines[2])["rid"] != "r-2" {
		t.Errorf("critical: %v", lines[2])
	}
}

// A logger on another writer still gets the entries, as zerolog events.
func TestDockerflowThroughPlainZerolog(t *testing.T) {
	var buf bytes.Buffer
	l := zerolog.New(&buf)
	dl := mozlogzerolog.NewLogger(l)
	sum := dockerflow.Summary{Level: dockerflow.LevelInfo, Method: "GET", Path: "/x", Code: 200, RID: "r"}
	dl.LogSummary(context.Background(), &sum)
	if !strings.Contains(buf.String(), `"Type":"request.summary"`) || !strings.Contains(buf.String(), `"level":"info"`) || !strings.Contains(buf.String(), `"path":"/x"`) {
		t.Errorf("line %s", buf.String())
	}
}

// DOCKERFLOW_LOG_FORMAT and DOCKERFLOW_LOG_CLOUD_SEVERITY reach the
// writer through its Options; a logger that writes otherwise fails New.
// It also fails if zerolog stops keeping its writer where NewLogger reads
// it.
func TestLogSettingsReachZerolog(t *testing.T) {
	dockerflowtest.LogSettings(t, func(o mozlog.Options, out io.Writer) (dockerflow.Logger, func()) {
		l := mozlogzerolog.New(out, &o).With().Str("k", "v").Logger().Level(zerolog.InfoLevel)
		return mozlogzerolog.NewLogger(l), func() { l.Info().Msg("hello") }
	}, mozlogzerolog.NewLogger(zerolog.New(io.Discard)), mozlogzerolog.NewLogger(mozlogzerolog.New(io.Discard, nil)))
}

// Whatever bytes reach the writer (zerolog's own events, an invalid
// RawJSON, a logger's Write of anything), it writes exactly one mozlog
// line under 16 KiB, and says it took them all.
func FuzzWriter(f *testing.F) {
	for _, p := range []string{`{"level":"info","a":1,"message":"m"}`, `{"a":{"b":[1,{"c":"\u2028"}]},"n":-1e400}`,
		`{"a":"\ud800","b":"\"","c":tru}`, "{\"\xff\":\"\x00\"}", `{"a":[[[[[[`, `{"Type":5,"level":"nope","time":{}}`, "\n", ""} {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		buf := &bytes.Buffer{}
		w := mozlogzerolog.NewWriter(buf, fixedOptions())
		if n, err := w.Write(p); err != nil || n != len(p) {
			t.Fatalf("Write: %d, %v", n, err)
		}
		if lines := checkLines(t, buf); len(lines) != 1 {
			t.Fatalf("%d lines for %q", len(lines), p)
		}
	})
}
