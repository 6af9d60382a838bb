package encode_test

import (
	"errors"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

var header = encode.Header{Timestamp: 1795514400000000000, Type: "request.summary", Logger: "svc", Hostname: "h", EnvVersion: "2.0", Severity: 6, Pid: 9}

func TestAppendLine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		h      encode.Header
		msg    string
		fields []slog.Attr
		want   string
	}{
		{"summary", header, "", []slog.Attr{slog.String("path", "/x"), slog.Int("code", 200), slog.String("agent", "a")},
			`{"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"svc","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":9,"Fields":{"agent":"a","code":200,"path":"/x"}}`},
		{"clamped", encode.Header{Timestamp: -5, Severity: 12, Pid: -1}, "m", nil,
			`{"Timestamp":0,"Type":"","Logger":"","Hostname":"","EnvVersion":"","Severity":7,"Pid":0,"Fields":{"msg":"m"}}`},
		{"msg-clash", header, "mine", []slog.Attr{slog.String("msg", "theirs"), slog.Any("err", errors.New("e"))},
			`{"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"svc","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":9,"Fields":{"err":"e","fields.msg":"theirs","msg":"mine"}}`},
		// A message is never lost (python-dockerflow #40): a JSON object
		// stays as it is, its keys join the fields where none has them.
		{"json-msg-kept", header, `{"a":1,"ok":"theirs","msg":"x"}`, []slog.Attr{slog.Bool("ok", true), slog.String("rid", "r1")},
			`{"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"svc","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":9,"Fields":{"a":1,"msg":"{\"a\":1,\"ok\":\"theirs\",\"msg\":\"x\"}","ok":true,"rid":"r1"}}`},
		{"json-looking-msg-kept", header, `{not json}`, []slog.Attr{slog.String("rid", "r1")},
			`{"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"svc","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":9,"Fields":{"msg":"{not json}","rid":"r1"}}`},
		{"json-msg-alone-kept", header, `{"a":1}`, nil,
			`{"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"svc","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":9,"Fields":{"a":1,"msg":"{\"a\":1}"}}`},
		{"floats", header, "", []slog.Attr{slog.Float64("nan", math.NaN()), slog.Float64("x", 0.1), slog.Float64("big", 1e21)},
			`{"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"svc","Hostname":"h","EnvVersion":"2.0","Severity":6,"Pid":9,"Fields":{"big":1e+21,"nan":"NaN","x":0.1}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := encode.AppendLine(nil, &tc.h, tc.msg, tc.fields)
			if got := strings.TrimSuffix(string(line), "\n"); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
			if tc.h.EnvVersion != "" {
				if err := mozlog.Check(line); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func FuzzAppendLine(f *testing.F) {
	f.Add("key", "value", "message", int64(1), 1.5)
	f.Add("msg", "{\"a\":1}", "{}", int64(-1), math.NaN())
	f.Add("\xff", "\n\r\t\"\\", "\u2028", int64(math.MinInt64), math.Inf(1))
	f.Add("", "", "", int64(0), 0.0)
	f.Fuzz(func(t *testing.T, key, sval, msg string, n int64, fl float64) {
		fields := []slog.Attr{slog.String(key, sval), slog.Int64(key+"n", n), slog.Float64(key+"f", fl),
			slog.Any("obj", map[string]any{key: sval, "in": map[string]any{key: n}}), slog.Group(key, "x", sval)}
		line := encode.AppendLine(nil, &header, msg, fields)
		if err := mozlog.Check(line); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
	})
}

// BenchmarkAppendLine is a request.summary line.
func BenchmarkAppendLine(b *testing.B) {
	fields := []slog.Attr{
		slog.String("agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"), slog.Int("code", 200),
		slog.Int("errno", 0), slog.String("lang", "en-US,en;q=0.5"), slog.String("method", "GET"), slog.String("path", "/api/v1/users/42"),
		slog.String("rid", "0f8fad5b-d9cb-469f-a165-70867728950e"), slog.Int64("t", 12), slog.String("uid", "user-42"),
	}
	buf := make([]byte, 0, 1024)
	work := make([]slog.Attr, len(fields), len(fields)+1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(work, fields)
		buf = encode.AppendLine(buf[:0], &header, "", work)
	}
}

// With CloudSeverity, Cloud Logging's name of the severity stands beside
// mozlog's number, and the line still checks.
func TestCloudSeverity(t *testing.T) {
	for sev, name := range []string{"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"} {
		h := encode.Header{Timestamp: 1, Type: "t", Logger: "l", Hostname: "h", EnvVersion: "2.0", Severity: sev, Pid: 1, CloudSeverity: true}
		line := encode.AppendLine(nil, &h, "m", nil)
		if !strings.Contains(string(line), `"Severity":`+strconv.Itoa(sev)+`,"severity":"`+name+`"`) {
			t.Errorf("severity %d: %s", sev, line)
		}
		if err := mozlog.Check(line); err != nil {
			t.Errorf("%v: %s", err, line)
		}
	}
	h := encode.Header{Timestamp: 1, Type: "t", Logger: "l", Hostname: "h", EnvVersion: "2.0", Severity: 3, Pid: 1}
	if line := encode.AppendLine(nil, &h, "m", nil); strings.Contains(string(line), `"severity"`) {
		t.Errorf("without CloudSeverity: %s", line)
	}
	if err := mozlog.Check([]byte(`{"Timestamp":1,"Type":"t","Logger":"l","Hostname":"h","EnvVersion":"2.0","Severity":3,"severity":"INFO","Pid":1,"Fields":{"msg":"m"}}` + "\n")); err == nil {
		t.Error("Check accepted a severity name that does not match")
	}
}

// The text format: one human line, fields as key=value in key order,
// values quoted when they would not read back as one word.
func TestTextLine(t *testing.T) {
	h := encode.Header{Timestamp: 1795514400123000000, Type: "app.log", Severity: 4, Text: true}
	got := string(encode.AppendLine(nil, &h, "charge failed", []slog.Attr{
		slog.String("rid", "3f2a"), slog.Any("error", errors.New("card declined")), slog.Int("n", 2),
		slog.String("note", "a\nb"), slog.String("empty", ""),
	}))
	want := "2026-11-24T10:00:00.123Z WARN app.log charge failed empty=\"\" error=\"card declined\" n=2 note=\"a\\nb\" rid=3f2a\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A message cannot forge fields in a text line: one that holds '=' or a
// quote is quoted, so the real fields stand apart from it.
func TestTextLineMessageCannotForgeFields(t *testing.T) {
	h := encode.Header{Timestamp: 1795514400123000000, Type: "request.summary", Severity: 3, Text: true}
	forged := `no such note "x" code=0 status=OK uid=admin rid=forged`
	got := string(encode.AppendLine(nil, &h, forged, []slog.Attr{slog.String("rid", "real"), slog.Int("code", 404)}))
	want := `2026-11-24T10:00:00.123Z ERROR request.summary "no such note \"x\" code=0 status=OK uid=admin rid=forged" code=404 rid=real` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
