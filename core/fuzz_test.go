package dockerflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
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
		r, tr := s.trackRequest(req, h)
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
		resp, _ := s.respond(context.Background(), endpointVersion, "GET")
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

// The first implementation of Redact, kept to check the second against.
var (
	oldURLPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^:@/\s]*):[^/\s]*@`)
	oldKeyValue    = regexp.MustCompile(`(?i)\b([a-z0-9_.-]*?(?:password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?key|auth))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&)"']+)`)
)

// oldSecrets returns what the first implementation removed from text, and
// its output. A bare "auth:" is left out: it was over-redaction ("failed
// SASL auth: FATAL:"), not a secret.
func oldSecrets(text string) (secrets []string, out string) {
	for _, m := range oldURLPassword.FindAllStringSubmatchIndex(text, -1) {
		secrets = append(secrets, text[m[3]+1:m[1]-1])
	}
	step := oldURLPassword.ReplaceAllString(text, "${1}:"+redacted+"@")
	for _, m := range oldKeyValue.FindAllStringSubmatchIndex(step, -1) {
		key, sep := step[m[2]:m[3]], step[m[4]:m[5]]
		if strings.EqualFold(key, "auth") && strings.Contains(sep, ":") {
			continue
		}
		secrets = append(secrets, step[m[6]:m[7]])
	}
	return secrets, oldKeyValue.ReplaceAllString(step, "${1}${2}"+redacted)
}

// Whatever the first implementation removed, the second removes too.
func FuzzRedactDifferential(f *testing.F) {
	for _, s := range []string{
		"postgres://app:s3cret@db:5432/x", "mysql://root:p@ss@h/db", "user=app password=s3cret host=db",
		`password="with spaces" x`, "PWD=abc;Server=x", "?token=abc&x=1", "api_key: abc",
		"Access denied for user 'root' (using password: YES)", "access_token=a1&client_secret=b2&db_password=c3",
		"X-Api-Key: k3y author=ann passage=p", `{"password":"S3CRET"}`, `token="unclosed S3CRET`,
		"redis://:ZQXp/w6@h:6379/0", "root:S3CRET@tcp(h:3306)/db", "pass : 'quoted pw' ; next",
		"a://b:c@d e://f:g@h", "xétoken=abcd", "TOKEN\t=\tvalue1234",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		secrets, old := oldSecrets(text)
		got := Redact(text)
		for _, s := range secrets {
			if len(strings.Trim(s, `"'`)) < 4 || s == redacted {
				continue
			}
			if strings.Contains(got, s) && !strings.Contains(old, s) {
				t.Fatalf("Redact(%q) = %q keeps %q, which the first implementation removed (%q)", text, got, s, old)
			}
		}
	})
}

// A secret nested in a query string's value, in any of the shapes a
// return URL or a form takes, and percent-encoded one to three times, is
// never logged (issue 22), nor kept by Redact in a message quoting the
// value.
func FuzzRedactNested(f *testing.F) {
	for i := range nestedShapes {
		for levels := uint8(0); levels < 4; levels++ {
			f.Add("S3CRETzz", uint8(i), levels)
		}
	}
	f.Fuzz(func(t *testing.T, raw string, shape, levels uint8) {
		secret := strings.Map(func(r rune) rune {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
				return r
			}
			return -1
		}, raw)
		if len(secret) < 6 || strings.Contains(strings.ToLower(secret), "xxxxx") {
			return
		}
		value := fmt.Sprintf(nestedShapes[int(shape)%len(nestedShapes)], secret)
		for i := 0; i < int(levels%4); i++ {
			value = url.QueryEscape(value)
		}
		if got := redactQuery("next="+url.QueryEscape(value)+"&x=1", defaultKeys); strings.Contains(got, secret) {
			t.Fatalf("query next=%q logged as %q", value, got)
		}
		// A message quoting the value, encoded at most twice; a bare
		// code= in prose is not a parameter (status_code=503).
		if levels%4 < 3 && !strings.HasPrefix(nestedShapes[int(shape)%len(nestedShapes)], "code=") {
			if got := Redact("redirect to " + value + " failed"); strings.Contains(got, secret) {
				t.Fatalf("Redact(%q) = %q", value, got)
			}
		}
	})
}

// nestedShapes are where a secret sits in a value (%s).
var nestedShapes = []string{
	"code=%s", "a&code=%s", "password=%s", "https://app/cb?code=%s", "https://app/cb?state=1&code=%s",
	"https://app/cb#access_token=%s", "a=1;jwt=%s", "u:%s@h:5432/db", "postgres://u:%s@h/db", `{"password":"%s"}`,
	`{\"password\":\"%s\"}`, "id_token_hint=%s", "SAMLResponse=%s", "client_assertion=%s", "password_confirmation=%s",
}

// plainText says a text needs no redaction only when redactIn would
// leave it as it is: the fast path of every request field skips nothing
// the one redaction step would remove.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "fr-FR,fr;q=0.9",
		"/search", "/x;password=S3CRET", "/login/u:pw@h", "a --token x", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
		`"password" "x"`, "Token: x", "%70assword=x", "idToken:x", "a=b:c", "user[password]=x"} {
		f.Add(s)
	}
	extra := newKeyMatcher([]string{"pin", "x"})
	f.Fuzz(func(t *testing.T, v string) {
		for _, keys := range []*keyMatcher{defaultKeys, extra} {
			if plainText(v, keys) {
				if got := redactIn(v, keys, false, 0); got != v {
					t.Fatalf("plainText(%q) but redactIn gives %q", v, got)
				}
			}
		}
	})
}

// The strings requestText remembers as plain skip the scan only when they
// are the very string remembered: a hostile value that falls in the same
// slot (same length, same middle and last bytes) is redacted all the same.
func TestPlainSeenNeverSkipsASecret(t *testing.T) {
	s := testService(t, Config{})
	plain := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	if got := s.requestText(plain, capAgent); got != plain || !s.plain.has(plain) {
		t.Fatalf("a plain agent: %q, remembered %v", got, s.plain.has(plain))
	}
	// Same length, same byte in the middle and at the end: the same slot.
	hostile := []byte(plain)
	copy(hostile, "https://u:S3CRET@h/ ")
	if plainSlot(string(hostile)) != plainSlot(plain) {
		t.Fatal("the hostile string is not in the plain one's slot")
	}
	if got := s.requestText(string(hostile), capAgent); strings.Contains(got, "S3CRET") {
		t.Errorf("a secret in the slot of a remembered plain string: %q", got)
	}
	if got := s.requestText(plain, capAgent); got != plain {
		t.Errorf("the plain agent again: %q", got)
	}
}
