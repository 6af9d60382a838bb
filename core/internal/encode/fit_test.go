package encode_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Whatever an entry holds, its line is one line of at most MaxLine bytes,
// valid mozlog in JSON, every field kept (cut) while their keys fit, the
// short ones whole.
func TestLineCapped(t *testing.T) {
	huge := func(unit string) string { return strings.Repeat(unit, (1<<20)/len(unit)) }
	many := func(n int, v string) []slog.Attr {
		f := make([]slog.Attr, n)
		for i := range f {
			f[i] = slog.String(fmt.Sprintf("k%06d", i), v)
		}
		return f
	}
	for _, tc := range []struct {
		name   string
		h      encode.Header
		msg    string
		fields []slog.Attr
		kept   []string // fields that must be there, whole or cut
		whole  map[string]any
	}{
		{name: "one-huge-value", fields: []slog.Attr{slog.String("big", huge("a")), slog.Int("n", 7), slog.String("s", "short")},
			kept: []string{"big"}, whole: map[string]any{"n": 7.0, "s": "short"}},
		{name: "escaped", fields: []slog.Attr{slog.String("big", huge("\x01")), slog.String("u", huge("\u2028")), slog.String("bad", huge("\xff"))},
			kept: []string{"big", "u", "bad"}},
		{name: "huge-message", msg: huge("é"), fields: []slog.Attr{slog.Int("n", 1)}, kept: []string{"msg"}, whole: map[string]any{"n": 1.0}},
		{name: "huge-key", fields: []slog.Attr{slog.String(huge("k"), "v"), slog.Int("n", 1)}, whole: map[string]any{"n": 1.0}},
		{name: "huge-object", fields: []slog.Attr{slog.Any("obj", map[string]string{"a": huge("x"), "b": huge("y")})}, kept: []string{"obj"}},
		{name: "huge-group", fields: []slog.Attr{slog.Group("g", slog.String("a", huge("x")))}},
		{name: "500-fields", fields: many(500, "value")},
		{name: "1000-fields", fields: many(1000, "value"), kept: []string{encode.FieldsDropped, "k000000", "k000799"}},
		{name: "100000-fields", fields: many(100000, "v"), kept: []string{encode.FieldsDropped}},
		{name: "huge-names", h: encode.Header{Type: huge("t"), Logger: huge("l"), Hostname: huge("\n"), EnvVersion: "2.0"},
			fields: []slog.Attr{slog.String("big", huge("a"))}, kept: []string{"big"}},
	} {
		for _, text := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/text=%v", tc.name, text), func(t *testing.T) {
				h := tc.h
				h.Text = text
				h.FillDefaults()
				fields := append([]slog.Attr(nil), tc.fields...)
				line := encode.AppendLine([]byte("previous line\n"), &h, tc.msg, fields)[len("previous line\n"):]
				if len(line) > encode.MaxLine || bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
					t.Fatalf("%d bytes, %d newlines", len(line), bytes.Count(line, []byte("\n")))
				}
				if text {
					return
				}
				if err := mozlog.Check(line); err != nil {
					t.Fatal(err)
				}
				var e struct{ Fields map[string]any }
				if err := json.Unmarshal(line, &e); err != nil {
					t.Fatal(err)
				}
				for _, k := range tc.kept {
					if _, ok := e.Fields[k]; !ok {
						t.Errorf("%s lost", k)
					}
				}
				for k, v := range tc.whole {
					if e.Fields[k] != v {
						t.Errorf("%s = %v, want %v whole", k, e.Fields[k], v)
					}
				}
				if len(tc.fields) == 500 && len(e.Fields) != 500 {
					t.Errorf("%d of 500 fields kept", len(e.Fields))
				}
			})
		}
	}
}

// A line that fits is not touched: the cap costs nothing below it.
func TestLineUnderCapUnchanged(t *testing.T) {
	h := header
	fields := []slog.Attr{slog.String("a", strings.Repeat("x", 15<<10))}
	line := encode.AppendLine(nil, &h, "", fields)
	if !bytes.Contains(line, []byte(strings.Repeat("x", 15<<10))) {
		t.Errorf("a line under the cap was cut: %d bytes", len(line))
	}
}
