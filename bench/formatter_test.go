package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/dockerflow-go/dockerflow/logformat"
	"github.com/sirupsen/logrus"
	"go.mozilla.org/mozlogrus"
)

var (
	at      = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	small   = logrus.Fields{"user": "ann", "attempt": 3, "error": errors.New("card declined")}
	summary = logrus.Fields{
		mozlog.TypeKey: "request.summary", "agent": "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
		"lang": "en-US,en;q=0.5", "method": "GET", "path": "/api/v1/users/42", "code": 200, "errno": 0,
		"t": int64(12), "rid": "0f8fad5b-d9cb-469f-a165-70867728950e", "uid": "user-42",
	}
)

func formatters() map[string]logrus.Formatter {
	return map[string]logrus.Formatter{
		"logformat":            &logformat.Formatter{Logger: "svc"},
		"mozlogrus":            &mozlogrus.MozLogFormatter{LoggerName: "svc", Type: "app.log"},
		"logrus.JSONFormatter": &logrus.JSONFormatter{},
	}
}

// entry is what logrus hands a formatter, pooled buffer included.
func entry(fields logrus.Fields, msg string) *logrus.Entry {
	return &logrus.Entry{Logger: logrus.New(), Data: fields, Time: at, Level: logrus.InfoLevel, Message: msg, Buffer: &bytes.Buffer{}}
}

func BenchmarkFormat(b *testing.B) {
	for _, size := range []struct {
		name   string
		fields logrus.Fields
		msg    string
	}{{"small-3-fields", small, "charge failed"}, {"summary-10-fields", summary, ""}} {
		for _, name := range []string{"logformat", "mozlogrus", "logrus.JSONFormatter"} {
			f := formatters()[name]
			b.Run(size.name+"/"+name, func(b *testing.B) {
				e := entry(size.fields, size.msg)
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					e.Buffer.Reset()
					if _, err := f.Format(e); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkSlog(b *testing.B) {
	for name, h := range map[string]slog.Handler{
		"mozlog.Handler":      mozlog.NewHandler(io.Discard, nil),
		"slog.NewJSONHandler": slog.NewJSONHandler(io.Discard, nil),
	} {
		b.Run("summary-10-attrs/"+name, func(b *testing.B) {
			l := slog.New(h)
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				l.LogAttrs(ctx, slog.LevelInfo, "",
					slog.String(mozlog.TypeKey, "request.summary"), slog.String("agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"),
					slog.String("lang", "en-US,en;q=0.5"), slog.String("method", "GET"), slog.String("path", "/api/v1/users/42"),
					slog.Int("code", 200), slog.Int("errno", 0), slog.Int64("t", 12),
					slog.String("rid", "0f8fad5b-d9cb-469f-a165-70867728950e"), slog.String("uid", "user-42"))
			}
		})
	}
}

// The formatters compared write valid JSON for the same entries, so the
// comparison is of like with like.
func TestAllWriteJSON(t *testing.T) {
	for name, f := range formatters() {
		for _, fields := range []logrus.Fields{small, summary} {
			out, err := f.Format(entry(fields, "m"))
			var m map[string]any
			if err != nil || json.Unmarshal(out, &m) != nil || len(m) == 0 {
				t.Errorf("%s: %v %s", name, err, out)
			}
		}
	}
}
