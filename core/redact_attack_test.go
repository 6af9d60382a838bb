package dockerflow

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/internal/redact/hostile"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// The secret every hostile text below carries, in some shape.
const s3 = "S3CRET"

// Start-up errors quote the value they refuse: never its secrets, whatever
// the value's shape (issue 22: the value was quoted before it was
// redacted, and malformed URLs were printed whole).
func TestEnvErrorRedactsEveryShape(t *testing.T) {
	values := []string{
		`password="S3CRET DF12"`,
		`password='S3CRET'`,
		"app:S3CRET@db:5432/app",
		"root:S3CRET@/test",
		"postgres:/app:S3CRET@db/app",
		"postgres//app:S3CRET@db/app",
		"postgres://app:S3CRET@db:5432/app?sslmode=bogus",
		"postgres://app:S3CRET@db:notaport/app",
		"postgres://app:S3CRET@[::1/app",
		":S3CRET@127.0.0.1:6379",
		"default:S3CRET@127.0.0.1:6379",
		"redis:/:S3CRET@127.0.0.1:6379",
		"redis//:S3CRET@127.0.0.1:6379",
		"redis://:S3CRET@127.0.0.1:6379/x",
		"redis://h:6379/0?password=S3CRET",
		"mysql://root:S3CRET@tcp(h:3306)/db",
		"S3CRET",
		"x\x00:S3CRET@h",
		"app:S3CR\"ET@db",
	}
	for _, v := range values {
		want := "want a URL"
		if v == "S3CRET" {
			continue // a bare word is not a secret anyone can recognise
		}
		msg := (&EnvError{Name: "DATABASE_URL", Value: v, Want: want}).Error()
		if strings.Contains(msg, s3) || strings.Contains(msg, "S3CR\\\"ET") || strings.Contains(msg, "ET@db") && strings.Contains(v, "S3CR\"") {
			t.Errorf("EnvError for %q: %s", v, msg)
		}
		if !strings.Contains(msg, "DATABASE_URL") || !strings.Contains(msg, want) {
			t.Errorf("EnvError for %q does not name the variable and what it wants: %s", v, msg)
		}
	}
	// What the value was is still there, to see what was wrong.
	if msg := (&EnvError{Name: "DOCKERFLOW_CHECK_TIMEOUT", Value: "3 seconds", Want: "a duration"}).Error(); msg != `invalid DOCKERFLOW_CHECK_TIMEOUT="3 seconds": want a duration` {
		t.Errorf("a value without secrets: %s", msg)
	}
}

// The request-ID header is an allow-list shape (issue 22): names that
// could change how an answer is cached, framed or trusted are refused,
// since every answer echoes the client's value in it.
func TestRequestIDHeaderNames(t *testing.T) {
	for _, name := range []string{"X-Request-ID", "x-request-id", "X-Correlation-ID", "X-Amzn-Trace-Id", "X-Cloud-Trace-Context",
		"Request-Id", "Correlation-Id", "X-B3-TraceId", "Fly-Request-Id", "X-Github-Request-Id"} {
		if !validRequestIDHeader(name) {
			t.Errorf("%s refused", name)
		}
	}
	for _, name := range []string{"Set-Cookie", "Access-Control-Allow-Origin", "Refresh", "Content-Security-Policy",
		"Strict-Transport-Security", "Content-Disposition", "X-Frame-Options", "Vary", "ETag", "Location", "Link",
		"Cache-Control", "Expires", "Age", "Content-Id", "Content-Type", "Transfer-Encoding", "X-Accel-Redirect",
		"X-Accel-Buffering", "X-Sendfile", "X-Content-Type-Options", "X-Forwarded-Proto", "X-Api-Key", "Authorization",
		"Server", "Date", "Alt-Svc", "Clear-Site-Data", "Sec-WebSocket-Id", "X-", "-Id", "bad header", "",
		// Credentials, sessions and client addresses (issue 33): a session
		// ID would be echoed and logged raw.
		"X-Session-Id", "X-Sessionid", "X-Sid", "Session-Id", "X-Forwarded-For", "X-Real-Ip", "X-Client-Ip", "True-Client-Ip",
		"Cf-Connecting-Ip", "X-Cluster-Client-Ip", "X-Original-Forwarded-For", "X-Remote-Addr", "X-Auth-Request-Id",
		"X-Csrf-Id", "X-User-Token-Id", "X-Api-Key-Id", "X-Secret-Id", "X-Password-Id", "X-Cookie-Id", "X-Jwt-Id", "X-Key-Id"} {
		if validRequestIDHeader(name) {
			t.Errorf("%s accepted", name)
		}
		if _, err := ConfigFromEnv(mapEnv(map[string]string{"DOCKERFLOW_REQUEST_ID_HEADER_NAME": name})); name != "" && err == nil {
			t.Errorf("DOCKERFLOW_REQUEST_ID_HEADER_NAME=%s accepted", name)
		}
	}
}

// A refused header name is quoted readably: the error names the variable
// and the value it refused, redacting only what is secret (issue 33: the
// redaction of the whole text read "Set-Cookie": want … as a key and its
// value, and printed ="Set-Cookie": xxxxx a request-ID header name).
func TestEnvErrorReadable(t *testing.T) {
	for _, name := range []string{"Set-Cookie", "X-Session-Id", "Authorization", "X-Auth-Token", "Cookie"} {
		_, err := ConfigFromEnv(mapEnv(map[string]string{"DOCKERFLOW_REQUEST_ID_HEADER_NAME": name}))
		want := `invalid DOCKERFLOW_REQUEST_ID_HEADER_NAME="` + name + `": want ` + requestIDHeaderWant
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v\nwant %s", name, err, want)
		}
	}
	err := (&EnvError{Name: "DATABASE_URL", Value: "postgres://app:S3CRET@db/x", Want: "a URL: password, token and key are fine words here"}).Error()
	if want := `invalid DATABASE_URL="postgres://app:xxxxx@db/x": want a URL: password, token and key are fine words here`; err != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

// Every hostile text and query string, through every output of a
// service: the summary line in mozlog JSON, the text format and with
// Cloud Logging's severity, as a query string, a panic's value, an RPC's
// failure, a check message in the heartbeat's body and its log line, and
// Broken's reason in the heartbeat's entry and its log lines.
func TestHostileInputThroughEveryOutput(t *testing.T) {
	for _, mode := range []mozlog.Options{{}, {Text: true}, {CloudSeverity: true}} {
		var logs bytes.Buffer
		var text string
		check := Check{Name: "leaky", Func: func(context.Context) []Message { return []Message{Error("leaky.E1", text)} }}
		s := testService(t, Config{SummaryQueryString: true, Logger: &MozlogLogger{Out: &logs, Options: mode}})
		if err := s.Register(check); err != nil {
			t.Fatal(err)
		}
		outputs := 0
		leaked := func(what, in string, out []byte) {
			outputs++
			if bytes.Contains(bytes.ToUpper(out), []byte(s3)) {
				t.Errorf("text %v, %s %q: %s", mode.Text, what, in, out)
			}
		}
		for _, q := range hostile.Queries {
			logs.Reset()
			req := httptest.NewRequest("GET", "/x?"+q, nil)
			_, tr := s.Adapter().Track(req, http.Header{})
			tr.Done(200)
			leaked("query string", q, logs.Bytes())
		}
		for _, text = range hostile.Texts {
			logs.Reset()
			r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
			tr.Panicked(0, errors.New(text))
			leaked("panic", text, logs.Bytes())

			logs.Reset()
			_, c := s.Adapter().TrackCall(context.Background(), "/pkg.Svc/M", metadata())
			c.Failed(15, text)
			leaked("RPC failure", text, logs.Bytes())

			logs.Reset()
			r, tr = s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
			AddFields(r.Context(), slog.String("note", text), slog.Any("err", errors.New(text)))
			tr.Done(200)
			leaked("added fields", text, logs.Bytes())

			logs.Reset()
			resp, _ := respondTo(s, context.Background(), PathHeartbeat, "GET")
			leaked("heartbeat body", text, resp.body)
			leaked("heartbeat log", text, logs.Bytes())

			logs.Reset()
			s.Broken(text)
			rep, _ := s.Heartbeat(context.Background())
			reasons := append([]byte(nil), logs.Bytes()...)
			for _, c := range rep.Checks {
				for _, m := range c.Messages {
					reasons = append(reasons, m.Text...)
				}
			}
			s.Broken("")
			leaked("Broken's reason, in the heartbeat and the log", text, append(reasons, logs.Bytes()...))
		}
		for _, p := range hostile.Paths {
			logs.Reset()
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.RawPath, req.URL.Path = "", p
			if u, err := url.ParseRequestURI(p); err == nil {
				req.URL = u
			}
			_, tr := s.Adapter().Track(req, http.Header{})
			tr.Done(200)
			leaked("path", p, logs.Bytes())
		}
		for _, text = range hostile.RequestTexts {
			for _, header := range []string{"User-Agent", "Accept-Language", "X-Request-Id"} {
				logs.Reset()
				req := httptest.NewRequest("GET", "/x", nil)
				req.Header.Set(header, text)
				_, tr := s.Adapter().Track(req, http.Header{})
				tr.Done(200)
				leaked(header, text, logs.Bytes())
			}
			logs.Reset()
			r, tr := s.Adapter().Track(httptest.NewRequest("GET", "/x", nil), http.Header{})
			SetRoute(r.Context(), "/x/"+text)
			SetUserID(r.Context(), text)
			AddFields(r.Context(), slog.String("note", text), slog.Group("g", slog.String(text, text)), slog.Any("err", errors.New(text)),
				slog.Any("obj", map[string]string{"k": text}), slog.String("password", s3))
			tr.Done(200)
			leaked("route, uid and added fields", text, logs.Bytes())

			logs.Reset()
			_, c := s.Adapter().TrackCall(context.Background(), "/pkg.Svc/"+text, http.Header{"User-Agent": {text}})
			c.Done(0)
			leaked("RPC method and agent", text, logs.Bytes())
		}
		if outputs != len(hostile.Queries)+6*len(hostile.Texts)+len(hostile.Paths)+5*len(hostile.RequestTexts) {
			t.Fatalf("%d outputs checked", outputs)
		}
	}
}

func metadata() http.Header { return http.Header{"User-Agent": {"grpc-go/1.0"}} }
