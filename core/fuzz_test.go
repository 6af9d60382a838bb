package dockerflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Any request ID header yields a valid ID (the given one when it is
// valid), echoed as is, and a summary that is one valid mozlog line.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"abc-123", "", " ", "a\r\nX-Injected: 1", `"quoted"`, "caf\u00e9", "\xff\xfe",
		strings.Repeat("x", 128), strings.Repeat("x", 129), strings.Repeat("y", 10<<10), "{\"rid\":1}"} {
		f.Add(s, "Mozilla/5.0\n{\"forged\":true}", "/path/\u2028\x00")
	}
	f.Fuzz(func(t *testing.T, rid, agent, path string) {
		var logs bytes.Buffer
		s := testService(t, Config{Logger: &MozlogLogger{Out: &logs}})
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = path // as a router could leave it, whatever it holds
		req.Header["X-Request-Id"] = []string{rid}
		req.Header["User-Agent"] = []string{agent}
		h := http.Header{}
		r, tr := s.Adapter().Track(req, h)
		got := RequestID(r.Context())
		if !validRequestID(got) || h.Get("X-Request-Id") != got {
			t.Fatalf("request ID %q (header %q) for input %q", got, h.Get("X-Request-Id"), rid)
		}
		if s.keptRequestID(rid) && got != rid {
			t.Fatalf("valid ID %q replaced by %q", rid, got)
		}
		tr.Done(200)
		if err := mozlog.Check(logs.Bytes()); err != nil {
			t.Fatalf("%v: %q", err, logs.String())
		}
	})
}

// Any version object yields either its compacted JSON object, or a
// versionError whose reason is one of the documented ones; the HTTP answer
// is then 200 or 500 and never partial.
func FuzzVersion(f *testing.F) {
	for _, s := range []string{`{"version":"1"}`, `{"a":`, `[]`, `null`, `"s"`, ``, ` {"x":{"y":[1,2,{"z":null}]}} `,
		strings.Repeat(`{"a":`, 1000), `{"version":"1"} trailing`, "{\"k\":\"\xff\"}", `{"k":1e999}`} {
		f.Add([]byte(s))
	}
	reasons := map[string]bool{"version.json is not valid JSON": true, "version.json is not a JSON object": true,
		"version.json is larger than 1 MiB": true, "version.json is not valid UTF-8": true}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s := testService(t, Config{VersionLoader: func(context.Context) ([]byte, error) { return raw, nil }})
		body, err := s.version.get(context.Background())
		var ve *versionError
		switch {
		case err == nil:
			var obj map[string]any
			if json.Unmarshal(body, &obj) != nil || bytes.ContainsAny(body, "\n\t") {
				t.Fatalf("served %q for %q", body, raw)
			}
		case errors.As(err, &ve):
			if !reasons[ve.reason] {
				t.Fatalf("reason %q for %q", ve.reason, raw)
			}
		default:
			t.Fatalf("error %v for %q", err, raw)
		}
		resp, _ := respondTo(s, context.Background(), PathVersion, "GET")
		if (err == nil) != (resp.status == 200) || (err != nil && resp.status != 500) {
			t.Fatalf("status %d with error %v", resp.status, err)
		}
	})
}

// Any environment yields a Service or an error; an invalid variable's
// error names it and its value.
func FuzzEnvConfig(f *testing.F) {
	names := []string{"APP_DIR", "PORT"} // and the table's
	for _, st := range settings {
		names = append(names, st.name)
	}
	for i, v := range []string{"3s", "-1s", "1e9h", "503", "200", "yes", "maybe", "X-Trace", "bad header", "0.5", "NaN", "", " \t", "\x00"} {
		f.Add(uint8(i), v, uint8(i+3), v)
	}
	f.Fuzz(func(t *testing.T, n1 uint8, v1 string, n2 uint8, v2 string) {
		env := map[string]string{names[int(n1)%len(names)]: v1, names[int(n2)%len(names)]: v2}
		if _, err := ListenAddr(mapEnv(env), ""); err != nil && !strings.Contains(err.Error(), "PORT=") {
			t.Fatalf("ListenAddr error %q does not name PORT", err)
		}
		cfg, err := ConfigFromEnv(mapEnv(env))
		if err == nil {
			cfg.Logger = discard{}
			var s *Service
			if s, err = New(cfg); err == nil {
				defer s.Close()
				c := s.cfg
				if c.CheckTimeout <= 0 || c.HeartbeatFailedStatusCode < 400 || c.HeartbeatFailedStatusCode > 599 || c.SummarySampleRate <= 0 ||
					c.SummarySampleRate > 1 || !validHeaderName(c.RequestIDHeader) {
					t.Fatalf("accepted %v into %+v", env, c)
				}
				return
			}
			if strings.Contains(err.Error(), "both set") {
				return // an interval and a cache: refused by New
			}
			t.Fatalf("ConfigFromEnv accepted %v, New refused it: %v", env, err)
		}
		{
			var ee *EnvError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), ee.Name+"=") {
				t.Fatalf("error %q for %v", err, env)
			}
			return
		}
	})
}
