package dockerflow

import "testing"

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:s3cret@db:5432/x":                      "postgres://app:xxxxx@db:5432/x",
		"redis://:pw@cache:6379/0":                             "redis://:xxxxx@cache:6379/0",
		"mysql://root:p@ss@h/db":                               "mysql://root:xxxxx@h/db",
		"user=app password=s3cret host=db":                     "user=app password=xxxxx host=db",
		`password="with spaces" x`:                             `password=xxxxx x`,
		"PWD=abc;Server=x":                                     "PWD=xxxxx;Server=x",
		"?token=abc&x=1":                                       "?token=xxxxx&x=1",
		"api_key: abc":                                         "api_key: xxxxx",
		"Access denied for user 'root' (using password: YES)":  "Access denied for user 'root' (using password: xxxxx)",
		"dial tcp 127.0.0.1:6379: connect: connection refused": "dial tcp 127.0.0.1:6379: connect: connection refused",
		"https://example.com/path":                             "https://example.com/path",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Redact("auth failed for hunter2xyz", "hunter2xyz"); got != "auth failed for xxxxx" {
		t.Errorf("explicit secret: %q", got)
	}
	if got := Redact("a b", "a"); got != "a b" {
		t.Errorf("a secret under 3 bytes is not replaced: %q", got)
	}
}

// Keys that end in a secret word are redacted; words that merely begin so
// are not.
func TestRedactKeySuffixes(t *testing.T) {
	for in, want := range map[string]string{
		"access_token=a1&client_secret=b2&db_password=c3": "access_token=xxxxx&client_secret=xxxxx&db_password=xxxxx",
		"X-Api-Key: k3y author=ann passage=p":             "X-Api-Key: xxxxx author=ann passage=p",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
