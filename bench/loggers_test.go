package bench

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"testing"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	mozlogzerolog "github.com/dockerflow-go/dockerflow/logformat/zerolog"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newID is a request ID for the access loggers that make their own: 16
// random bytes in hex.
func newID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := mrand.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return hex.EncodeToString(b[:])
}

// accessFields is what each access logger below is given: the summary's
// fields, from the request and its answer.
func accessFields(r *http.Request, status int, d time.Duration, rid string) (agent, lang string, errno int, t int64) {
	if status >= 400 {
		errno = status
	}
	return r.UserAgent(), r.Header.Get("Accept-Language"), errno, d.Milliseconds()
}

// BenchmarkAccessLoggers: one request on net/http through the request
// logger each logging library offers or a service writes with it, the
// same fields (the summary's) and a request ID, all to io.Discard:
// zerolog's hlog chain, a zap access logger, a log/slog JSON one, and the
// summary (also with 5 fields added by the handler).
func BenchmarkAccessLoggers(b *testing.B) {
	mux := http.NewServeMux()
	mux.Handle("GET /users/{id}", empty)
	b.Run("zerolog-hlog", func(b *testing.B) {
		log := zerolog.New(io.Discard).With().Timestamp().Logger()
		h := hlog.NewHandler(log)(hlog.RequestIDHandler("rid", "X-Request-Id")(hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
			agent, lang, errno, t := accessFields(r, status, d, "")
			hlog.FromRequest(r).Info().Str("agent", agent).Str("lang", lang).Str("method", r.Method).Str("path", r.URL.Path).
				Int("code", status).Int("errno", errno).Int64("t", t).Str("uid", "").Send()
		})(mux)))
		serveBenchmark(b, h, request())
	})
	b.Run("zap-access", func(b *testing.B) {
		log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel))
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start, rid := time.Now(), newID()
			w.Header().Set("X-Request-Id", rid)
			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			mux.ServeHTTP(rec, r)
			agent, lang, errno, t := accessFields(r, rec.status, time.Since(start), rid)
			log.Info("", zap.String("agent", agent), zap.String("lang", lang), zap.String("method", r.Method), zap.String("path", r.URL.Path),
				zap.Int("code", rec.status), zap.Int("errno", errno), zap.Int64("t", t), zap.String("rid", rid), zap.String("uid", ""))
		})
		serveBenchmark(b, h, request())
	})
	b.Run("slog-json-access", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(io.Discard, nil))
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start, rid := time.Now(), newID()
			w.Header().Set("X-Request-Id", rid)
			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			mux.ServeHTTP(rec, r)
			agent, lang, errno, t := accessFields(r, rec.status, time.Since(start), rid)
			log.LogAttrs(context.Background(), slog.LevelInfo, "", slog.String("agent", agent), slog.String("lang", lang), slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.Int("code", rec.status), slog.Int("errno", errno), slog.Int64("t", t), slog.String("rid", rid), slog.String("uid", ""))
		})
		serveBenchmark(b, h, request())
	})
	b.Run("dockerflow", func(b *testing.B) {
		serveBenchmark(b, dockerflowhttp.Middleware(dockerflowService(b))(mux), request())
	})
	b.Run("dockerflow-5-added-fields", func(b *testing.B) {
		wide := http.NewServeMux()
		wide.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
			dockerflow.AddFields(r.Context(), slog.String("plan", "pro"), slog.Int("rows", 42), slog.Bool("cache_hit", true),
				slog.String("account", "acct-7f3a9c"), slog.Duration("db", 1500*time.Microsecond))
		})
		serveBenchmark(b, dockerflowhttp.Middleware(dockerflowService(b))(wide), request())
	})
}

// The zerolog logger against zerolog's own JSON, the same 10 fields and
// message, to io.Discard: bare, as the target has it, and with
// the time, as services configure it (zap's production baseline writes
// its time too). envelope-floor is a writer that only puts the mozlog
// envelope before zerolog's bytes, untouched: the least any zerolog
// writer of mozlog lines costs (its output is not mozlog).
func BenchmarkZerolog(b *testing.B) {
	for name, log := range map[string]zerolog.Logger{
		"mozlogzerolog":          mozlogzerolog.New(io.Discard, &mozlog.Options{Logger: "svc"}),
		"zerolog-json":           zerolog.New(io.Discard),
		"zerolog-json-timestamp": zerolog.New(io.Discard).With().Timestamp().Logger(),
		"envelope-floor":         zerolog.New(&envelopeOnly{opts: mozlog.Options{Logger: "svc"}}),
	} {
		b.Run("10-fields/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				log.Info().Str("user", "ann").Int("attempt", 3).Err(errCard).Str("method", "GET").Str("path", "/api/v1/users/42").
					Int("code", 200).Dur("t", 12*time.Millisecond).Str("rid", "0f8fad5b-d9cb-469f-a165-70867728950e").
					Bool("cached", true).Float64("ratio", 0.25).Msg("charge failed")
			}
		})
	}
}

// envelopeOnly writes the mozlog envelope of an entry (its time, Type,
// Logger, Hostname, EnvVersion, Severity, Pid) followed by the event
// zerolog encoded, as it is: no sorting, no rules, no Fields object.
type envelopeOnly struct {
	opts  mozlog.Options
	line  []byte
	attrs [1]slog.Attr // room for the empty msg the encoder adds to an entry without fields
}

func (w *envelopeOnly) Write(p []byte) (int, error) {
	w.line = w.opts.AppendEntry(w.line[:0], context.Background(), time.Time{}, "", slog.LevelInfo, "", w.attrs[:0])
	w.line = append(w.line[:len(w.line)-len("}}\n")], p...)
	return io.Discard.Write(w.line)
}

// WriteLevel makes it a zerolog.LevelWriter, as mozlogzerolog's Writer is.
func (w *envelopeOnly) WriteLevel(_ zerolog.Level, p []byte) (int, error) { return w.Write(p) }
