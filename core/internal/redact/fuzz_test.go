package redact

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

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
	step := oldURLPassword.ReplaceAllString(text, "${1}:"+Redacted+"@")
	for _, m := range oldKeyValue.FindAllStringSubmatchIndex(step, -1) {
		key, sep := step[m[2]:m[3]], step[m[4]:m[5]]
		if strings.EqualFold(key, "auth") && strings.Contains(sep, ":") {
			continue
		}
		secrets = append(secrets, step[m[6]:m[7]])
	}
	return secrets, oldKeyValue.ReplaceAllString(step, "${1}${2}"+Redacted)
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
		got := redactAll(text)
		for _, s := range secrets {
			if len(strings.Trim(s, `"'`)) < 4 || s == Redacted {
				continue
			}
			if strings.Contains(got, s) && !strings.Contains(old, s) {
				t.Fatalf("redactAll(%q) = %q keeps %q, which the first implementation removed (%q)", text, got, s, old)
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
		if got := Query("next="+url.QueryEscape(value)+"&x=1", Default); strings.Contains(got, secret) {
			t.Fatalf("query next=%q logged as %q", value, got)
		}
		// A message quoting the value, encoded at most twice; a bare
		// code= in prose is not a parameter (status_code=503).
		if levels%4 < 3 && !strings.HasPrefix(nestedShapes[int(shape)%len(nestedShapes)], "code=") {
			if got := redactAll("redirect to " + value + " failed"); strings.Contains(got, secret) {
				t.Fatalf("redactAll(%q) = %q", value, got)
			}
		}
	})
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
	extra := NewKeys([]string{"pin", "x"})
	f.Fuzz(func(t *testing.T, v string) {
		for _, keys := range []*Keys{Default, extra} {
			if plainText(v, keys) {
				if got := nested(v, keys, false, 0); got != v {
					t.Fatalf("plainText(%q) but redactIn gives %q", v, got)
				}
			}
		}
	})
}

// The strings Request remembers as plain skip the scan only when they are
// the very string remembered: a hostile value that falls in the same slot
// (same length, same middle and last bytes) is redacted all the same.
func TestPlainSeenNeverSkipsASecret(t *testing.T) {
	keys := NewKeys(nil)
	plain := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	if got := Request(plain, keys); got != plain || !keys.plain.has(plain) {
		t.Fatalf("a plain agent: %q, remembered %v", got, keys.plain.has(plain))
	}
	// Same length, same byte in the middle and at the end: the same slot.
	hostile := []byte(plain)
	copy(hostile, "https://u:S3CRET@h/ ")
	if plainSlot(string(hostile)) != plainSlot(plain) {
		t.Fatal("the hostile string is not in the plain one's slot")
	}
	if got := Request(string(hostile), keys); strings.Contains(got, "S3CRET") {
		t.Errorf("a secret in the slot of a remembered plain string: %q", got)
	}
	if got := Request(plain, keys); got != plain {
		t.Errorf("the plain agent again: %q", got)
	}
}

// redactAll is dockerflow.Redact: Text with the default names.
func redactAll(text string, secrets ...string) string { return Text(text, Default, secrets) }

// nestedShapes are where a secret sits in a value (%s).
var nestedShapes = []string{
	"code=%s", "a&code=%s", "password=%s", "https://app/cb?code=%s", "https://app/cb?state=1&code=%s",
	"https://app/cb#access_token=%s", "a=1;jwt=%s", "u:%s@h:5432/db", "postgres://u:%s@h/db", `{"password":"%s"}`,
	`{\"password\":\"%s\"}`, "id_token_hint=%s", "SAMLResponse=%s", "client_assertion=%s", "password_confirmation=%s",
}
