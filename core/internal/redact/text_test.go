package redact

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
		if got := redactAll(in); got != want {
			t.Errorf("redactAll(%q) = %q, want %q", in, got, want)
		}
	}
	if got := redactAll("auth failed for hunter2xyz", "hunter2xyz"); got != "auth failed for xxxxx" {
		t.Errorf("explicit secret: %q", got)
	}
	if got := redactAll("a b", "a"); got != "a b" {
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
		if got := redactAll(in); got != want {
			t.Errorf("redactAll(%q) = %q, want %q", in, got, want)
		}
	}
}

// Forms the first implementation missed or over-redacted.
func TestRedactForms(t *testing.T) {
	for in, want := range map[string]string{
		`{"password":"S3CRET","user":"ann"}`:              `{"password":"xxxxx","user":"ann"}`,
		`config {"token": "S3CRET x"} loaded`:             `config {"token": "xxxxx"} loaded`,
		`{"api_key":"a\"S3CRET"}`:                         `{"api_key":"xxxxx"}`,
		`dsn root:S3CRET@tcp(127.0.0.1:3306)/test failed`: `dsn root:xxxxx@tcp(127.0.0.1:3306)/test failed`,
		`DSN=app:S3CRET@unix(/run/mysqld.sock)/db`:        `DSN=app:xxxxx@unix(/run/mysqld.sock)/db`,
		`redis://:ZQXp/w6@127.0.0.1:6379/0`:               `redis://:xxxxx@127.0.0.1:6379/0`,
		`postgres://app:p@ss/w@db:5432/x`:                 `postgres://app:xxxxx@db:5432/x`,
		// auth: X is a key and its value, whatever follows (issue 33); the
		// prose it catches too still says what broke.
		`failed SASL auth: FATAL: password authentication`: `failed SASL auth: xxxxx password authentication`,
		`auth: S3CRET`:                                         `auth: xxxxx`,
		`user[password]=S3CRET&user[name]=ann`:                 `user[password]=xxxxx&user[name]=ann`,
		`Cookie: theme=dark; sessionid=S3CRET; csrf=S3`:        `Cookie: xxxxx`,
		`Cookie: a=1` + "\n" + `Host: h`:                       `Cookie: xxxxx` + "\n" + `Host: h`,
		`https://ghp_S3CRET0123456789@github.com/o/r`:          `https://xxxxx@github.com/o/r`,
		`ssh://git@github.com/o/r`:                             `ssh://git@github.com/o/r`,
		`{"pass\u0077ord":"S3CRET"}`:                           `{"pass\u0077ord":"xxxxx"}`,
		`password "S3CRET" ok`:                                 `password xxxxx ok`,
		`--password S3CRET --port 5432`:                        `--password xxxxx --port 5432`,
		`mysql -uroot -pS3CRET test`:                           `mysql -uroot -pxxxxx test`,
		`ssh -p2222 h; mkdir -p /x; cp -pR a b`:                `ssh -p2222 h; mkdir -p /x; cp -pR a b`,
		`a eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln b`:        `a xxxxx b`,
		`app.3f2a.js, v1.2.3, eyJ.short.x`:                     `app.3f2a.js, v1.2.3, eyJ.short.x`,
		`in-stock db-1 2026-12-07 -- done -x`:                  `in-stock db-1 2026-12-07 -- done -x`,
		`basic_auth: S3CRET`:                                   `basic_auth: xxxxx`,
		`auth=S3CRET`:                                          `auth=xxxxx`,
		`token="S3CRET no closing quote`:                       `token=xxxxx no closing quote`,
		`Authorization: Bearer S3CRET.jwt.x`:                   `Authorization: xxxxx`,
		`private_key=S3CRET passphrase: S3CRET2`:               `private_key=xxxxx passphrase: xxxxx`,
		`primary key: id, status code: 500, session: 42`:       `primary key: id, status code: 500, session: 42`,
		`dial tcp 127.0.0.1:6379: connect: connection refused`: `dial tcp 127.0.0.1:6379: connect: connection refused`,
	} {
		if got := redactAll(in); got != want {
			t.Errorf("redactAll(%q)\n  = %q\nwant %q", in, got, want)
		}
	}
}

// Query strings are redacted by parameter name before they are decoded.
func TestRedactQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"password=S3CRET%20pw12&x=1":                       "password=xxxxx&x=1",
		"token=abc%20S3CRET":                               "token=xxxxx",
		"token=%22S3CRET":                                  "token=xxxxx",
		"data[token]=S3CRET&data[name]=ann":                "data[token]=xxxxx&data[name]=ann",
		"tok%65n=S3CRET&x=%":                               "token=xxxxx&x=%",
		"q=caf%C3%A9+x&n=1":                                "q=café+x&n=1",
		"bad=%zz":                                          "bad=%zz",
		"q=a%26password%3DS3CRET":                          "q=a&password=xxxxx",
		"sig=S3CRET&signature=S3CRET&X-Amz-Signature=S3":   "sig=xxxxx&signature=xxxxx&X-Amz-Signature=xxxxx",
		"X-Amz-Credential=S3&X-Goog-Signature=S3&code=S3":  "X-Amz-Credential=xxxxx&X-Goog-Signature=xxxxx&code=xxxxx",
		"key=S3&jwt=S3&session=S3&private_key=S3":          "key=xxxxx&jwt=xxxxx&session=xxxxx&private_key=xxxxx",
		"credentials=S3&passphrase=S3&hmac=S3&otp=S3":      "credentials=xxxxx&passphrase=xxxxx&hmac=xxxxx&otp=xxxxx",
		"monkey=1&zipcode=2&keys=3&author=4&passage=5":     "monkey=1&zipcode=2&keys=3&author=4&passage=5",
		"flag&token=&empty=":                               "flag&token=&empty=",
		"a=1;token=S3CRET":                                 "a=1;token=xxxxx",
		"user=ann&access_token=s3cr3t&api_key=k3y":         "user=ann&access_token=xxxxx&api_key=xxxxx",
		"API_KEY=S3CRET&Db_Password=S3CRET":                "API_KEY=xxxxx&Db_Password=xxxxx",
		"redirect=https%3A%2F%2Fu%3AS3CRET%40host%2Fx":     "redirect=https://u:xxxxx@host/x",
		"state=ok&code_challenge=abc&client_secret=S3CRET": "state=ok&code_challenge=abc&client_secret=xxxxx",
	} {
		if got := Query(raw, Default); got != want {
			t.Errorf("Query(%q)\n  = %q\nwant %q", raw, got, want)
		}
	}
	extra := NewKeys([]string{"ssn", " Customer-PIN "})
	if got := Query("ssn=123&user_ssn=4&customer-pin=9&lesson=x", extra); got != "ssn=xxxxx&user_ssn=xxxxx&customer-pin=xxxxx&lesson=x" {
		t.Errorf("extra keys: %q", got)
	}
	if got := Text("ssn: 123-45", extra, nil); got != "ssn: xxxxx" {
		t.Errorf("extra keys in text: %q", got)
	}
}
