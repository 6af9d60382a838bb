package dockerflow

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// The secret every hostile text below carries, in some shape.
const s3 = "S3CRET"

// Query strings (DOCKERFLOW_SUMMARY_LOG_QUERYSTRING=true) that carry a
// secret nested or encoded: issue 22's twenty shapes and more. None may
// log S3CRET, at any level of decoding.
var hostileQueries = []string{
	"code=S3CRET",
	"q=a%26code%3DS3CRET",
	"q=a%26token%3DS3CRET",
	"a=1;token=S3CRET",
	"a=1%3Bjwt%3DS3CRET",
	"next=https%3A%2F%2Fapp%2Fcb%3Fcode%3DS3CRET",
	"next=https%3A%2F%2Fapp%2Fcb%3Fstate%3D1%26code%3DS3CRET",
	"return_to=https%3A%2F%2Fapp%2Fx%3Fsig%3DS3CRET",
	"redirect_uri=https://app/cb?code=S3CRET",
	"next=https%253A%252F%252Fapp%252Fcb%253Fcode%253DS3CRET",          // encoded twice
	"next=https%25253A%25252F%25252Fa%25252Fb%25253Fcode%25253DS3CRET", // three times
	`x={\"password\":\"S3CRET\"}`,
	"x=%7B%5C%22password%5C%22%3A%5C%22S3CRET%5C%22%7D",
	`x={"password":"S3CRET"}`,
	"x=%7B%22password%22%3A%22S3CRET%22%7D",
	"password_confirmation=S3CRET",
	"password2=S3CRET",
	"id_token_hint=S3CRET",
	"client_assertion=S3CRET",
	"client_assertion_type=x&client_assertion=S3CRET",
	"SAMLResponse=S3CRET",
	"SAMLRequest=S3CRET&RelayState=x",
	"refresh_token=S3CRET",
	"idToken=S3CRET",
	"user%5Bpassword%5D=S3CRET",
	"pass%77ord=S3CRET",
	"token%3DS3CRET",
	"q=a+code%3DS3CRET",
	"callback=https%3A%2F%2Fh%2Fp%23access_token%3DS3CRET",
	"u=https%3A%2F%2Fuser%3AS3CRET%40host",
	"u=postgres%3A%2F%2Fapp%3AS3CRET%40db%2Fx",
	"dsn=app%3AS3CRET%40tcp(db%3A3306)%2Fx",
	"x=1&Authorization=Bearer%20S3CRET",
	"api-key=S3CRET",
	"X-Amz-Security-Token=S3CRET",
	"oauth_verifier=x&oauth_token=S3CRET",
	"ticket=S3CRET",
	"auth_code=S3CRET",
}

func TestHostileQueryStrings(t *testing.T) {
	for _, q := range hostileQueries {
		if got := redactQuery(q, defaultKeys); strings.Contains(strings.ToUpper(got), s3) {
			t.Errorf("redactQuery(%q) = %q", q, got)
		}
	}
}

// Texts (check messages, failure texts, start-up errors) that carry a
// secret: issue 22's shapes and more. Redact must leave none of them.
var hostileTexts = []string{
	`{\"password\":\"S3CRET\"}`,
	`config: {\"db\": {\"password\": \"S3CRET\"}}`,
	`password=\"S3CRET\"`,
	`password=\'S3CRET\'`,
	`password=&quot;S3CRET&quot;`,
	`user:S3CRET@/db`,
	`u:S3CRET@h:5432/db`,
	`root:S3CRET@/test`,
	`app:S3CRET@db:5432/app`,
	`postgres:/app:S3CRET@db/app`,
	`postgres//app:S3CRET@db/app`,
	`:S3CRET@127.0.0.1:6379`,
	`default:S3CRET@127.0.0.1:6379`,
	`redis:/:S3CRET@h:6379`,
	`redis//:S3CRET@h:6379`,
	`dial redis //:S3CRET@h:6379 failed`,
	`see https://h/cb?code=S3CRET for details`,
	`redirect to https://h/cb?state=1&code=S3CRET.`,
	`GET /cb?a=1;jwt=S3CRET HTTP/1.1`,
	`dial postgres://app:S3CRET@db:5432/x failed`,
	`"postgres://app:S3CRET@db:5432/x"`,
	`dsn=postgres://app:S3CRET@db/x`,
	`mysql://root:S3CRET@tcp(h:3306)/db`,
	`root:S3CRET@tcp(127.0.0.1:3306)/test`,
	`https://h/cb?access_token=S3CRET&x=1`,
	`x-api-key: S3CRET`,
	`{"client_secret":"S3CRET"}`,
	`{"password_confirmation": "S3CRET"}`,
	`{"id_token_hint":"S3CRET"}`,
	`password = S3CRET`,
	`password : "S3CRET"`,
	`pwd:S3CRET`,
	`PASSWORD=S3CRET`,
	`'password': 'S3CRET'`,
	`password='S3CRET'`,
	`Authorization: Bearer S3CRET`,
	`authorization=Basic S3CRET`,
	`Cookie: session=S3CRET`,
	`password%3DS3CRET`,
	`https://h/cb?code%3DS3CRET`,
	`next=https%3A%2F%2Fapp%2Fcb%3Fcode%3DS3CRET`,
	`panic: connect postgres://u:S3CRET@h/db: refused`,
	`invalid DATABASE_URL="app:S3CRET@db:5432/app": want a URL`,
	"password=\"S3CRET DF12\"",
	`password="S3CRET DF12\"`,
	`secret_key_base=S3CRET`,
	`SAMLResponse=S3CRET`,
	`client_assertion: S3CRET`,
}

// Texts of issue 33's round: the shapes the README documents that Redact
// missed (auth: X, user[password]=X, every pair of a Cookie header, a
// token as a URL's user name, a JSON key spelled with escapes, a value
// quoted after a space, command-line flags, mysql's -pX), and more of the
// kind services log.
var hostileTexts33 = []string{
	`auth: S3CRET`,
	`Auth:S3CRET`,
	`config auth: "S3CRET"`,
	`user[password]=S3CRET`,
	`data[password]=S3CRET`,
	`user[api_key]=S3CRET&user[name]=ann`,
	`creds[token]: S3CRET`,
	`Cookie: theme=dark; sessionid=S3CRET; csrftoken=S3CRET2`,
	`Cookie: a=1; b=2; jwt=S3CRET`,
	`Set-Cookie: sessionid=S3CRET; Path=/; HttpOnly`,
	`cookie="theme=dark; sid=S3CRET"`,
	`https://ghp_S3CRETaBcDeFgHiJkLmNoPqRsTuVwXyZ012345@github.com/o/r`,
	`git clone https://github_pat_11S3CRETxyz0123456789@github.com/o/r.git`,
	`https://glpat-S3CRETxyz0123@gitlab.com/o/r.git`,
	`sentry: https://S3CRET0123456789abcdef01234567@o1.ingest.sentry.io/1`,
	`{"password":"S3CRET"}`,
	`{"password": "S3CRET"}`,
	`{"pass\u0077ord":"S3CRET"}`,
	`{"api_key":"S3CRET"}`,
	`password "S3CRET"`,
	`PASSWORD 'S3CRET'`,
	`CREATE USER app WITH PASSWORD 'S3CRET'`,
	`invalid token "S3CRET" for user ann`,
	`--password S3CRET`,
	`--password=S3CRET`,
	`exec: app --db-password S3CRET --port 5432`,
	`--token S3CRET --verbose`,
	`-password S3CRET`,
	`flag -api-key S3CRET`,
	`mysql -uroot -pS3CRET test`,
	`mysqldump -h db -u app -pS3CRET app`,
	`mariadb -u root -pS3CRET`,
	`Proxy-Authorization: Basic S3CRET`,
	`X-Auth-Token: S3CRET`,
	`authorization: bearer S3CRET`,
	`aws_secret_access_key = S3CRET`,
	`AWS_SESSION_TOKEN=S3CRET`,
	`export API_TOKEN="S3CRET"`,
	`amqp://guest:S3CRET@rabbit:5672/`,
	`mongodb+srv://u:S3CRET@cluster0.x.mongodb.net/db`,
	`postgresql://app:S3CRET@db/x?sslmode=require`,
	`Server=db;Database=x;User Id=app;Password=S3CRET;`,
	`token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTM0NSRVQifQ.S3CRETsig0123456789 expired`,
	`/api/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.S3CRET_sig-0123/x`,
	`GET /x;jsessionid=S3CRET HTTP/1.1`,
	`url=https://h/cb#access_token=S3CRET&state=1`,
	`"client_secret": "S3CRET"`,
	`db.password: S3CRET`,
	`SECRET_KEY=S3CRET`,
	`DATABASE_URL=postgres://u:S3CRET@h/d`,
	`x-api-key:S3CRET`,
	`passwd=S3CRET`,
	`<password>S3CRET</password>`,
	`the password is S3CRET`,
}

// hostileLeaks33 are the texts above Redact leaves a secret in, by
// design: shapes it does not claim (prose, XML elements), each a guess
// whose price would be redacting ordinary words. At most three, none of
// a documented shape.
var hostileLeaks33 = map[string]bool{
	`<password>S3CRET</password>`: true,
	`the password is S3CRET`:      true,
}

func TestHostileTexts(t *testing.T) {
	for _, text := range hostileTexts {
		if got := Redact(text); strings.Contains(strings.ToUpper(got), s3) {
			t.Errorf("Redact(%q) = %q", text, got)
		}
	}
	if len(hostileTexts33) != 54 || len(hostileLeaks33) > 3 {
		t.Fatalf("%d texts, %d leaks allowed", len(hostileTexts33), len(hostileLeaks33))
	}
	for _, text := range hostileTexts33 {
		got := Redact(text)
		if leaked := strings.Contains(strings.ToUpper(got), s3); leaked != hostileLeaks33[text] {
			t.Errorf("Redact(%q) = %q (a known leak: %v)", text, got, hostileLeaks33[text])
		}
	}
}

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
// failure, and a check message in the heartbeat's body and its log line.
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
		for _, q := range hostileQueries {
			logs.Reset()
			req := httptest.NewRequest("GET", "/x?"+q, nil)
			_, tr := s.trackRequest(req, http.Header{})
			tr.Done(200)
			leaked("query string", q, logs.Bytes())
		}
		for _, text = range hostileTexts {
			logs.Reset()
			_, tr := s.trackRequest(httptest.NewRequest("GET", "/x", nil), http.Header{})
			tr.Panicked(0, errors.New(text))
			leaked("panic", text, logs.Bytes())

			logs.Reset()
			_, c := s.trackCall(context.Background(), "/pkg.Svc/M", metadata())
			c.Done(15, "DATA_LOSS", text)
			leaked("RPC failure", text, logs.Bytes())

			logs.Reset()
			resp, _ := s.respond(context.Background(), endpointHeartbeat, "GET")
			leaked("heartbeat body", text, resp.body)
			leaked("heartbeat log", text, logs.Bytes())
		}
		for _, p := range hostilePaths {
			logs.Reset()
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.RawPath, req.URL.Path = "", p
			if u, err := url.ParseRequestURI(p); err == nil {
				req.URL = u
			}
			_, tr := s.trackRequest(req, http.Header{})
			tr.Done(200)
			leaked("path", p, logs.Bytes())
		}
		for _, text = range hostileRequestTexts {
			for _, header := range []string{"User-Agent", "Accept-Language", "X-Request-Id"} {
				logs.Reset()
				req := httptest.NewRequest("GET", "/x", nil)
				req.Header.Set(header, text)
				_, tr := s.trackRequest(req, http.Header{})
				tr.Done(200)
				leaked(header, text, logs.Bytes())
			}
			logs.Reset()
			r, tr := s.trackRequest(httptest.NewRequest("GET", "/x", nil), http.Header{})
			SetRoute(r.Context(), "/x/"+text)
			SetUserID(r.Context(), text)
			tr.Done(200)
			leaked("route and uid", text, logs.Bytes())

			logs.Reset()
			_, c := s.trackCall(context.Background(), "/pkg.Svc/"+text, http.Header{"User-Agent": {text}})
			c.Done(0, "OK", "")
			leaked("RPC method and agent", text, logs.Bytes())
		}
		if outputs != len(hostileQueries)+4*len(hostileTexts)+len(hostilePaths)+5*len(hostileRequestTexts) {
			t.Fatalf("%d outputs checked", outputs)
		}
	}
}

// Paths that carry a secret (issue 33: the summary's path never passed
// through redaction).
var hostilePaths = []string{
	"/login/user:S3CRET@host",
	"/x;password=S3CRET",
	"/x;jsessionid=S3CRET",
	"/proxy/https%3A%2F%2Fu%3AS3CRET%40h",
	"/proxy/https%253A%252F%252Fu%253AS3CRET%2540h",
	"/api/token=S3CRET/x",
	"/api/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.S3CRETsig_0123/x",
	"/api/eyJhbGciOiJub25lIn0.eyJzdWIiOiJTM0NSRVQifQ.",
	"/cb/access_token=S3CRET&x=1",
	"/redirect/postgres:%2F%2Fapp:S3CRET@db/x",
	"/u/https:%2F%2Fghp_S3CRET0123456789abcdef@github.com/o",
	"/x/password%3DS3CRET",
}

// Header values, routes and user IDs that carry a secret.
var hostileRequestTexts = []string{
	"Mozilla/5.0 https://u:S3CRET@h/",
	"curl/8.0 (token=S3CRET)",
	"bot; Authorization: Bearer S3CRET",
	"en;password=S3CRET",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.S3CRETsig",
	`{"api_key":"S3CRET"}`,
	"app --password S3CRET",
}

func metadata() http.Header { return http.Header{"User-Agent": {"grpc-go/1.0"}} }

// Redaction costs time linear in the text, whatever it holds: a 64 KiB
// run of '@' took 1.9 s (each '@' looked back and ahead 2 KiB), and a
// logged query string may be that long. The bound is a hang guard,
// hundreds of times what the work takes.
func TestRedactLinearTime(t *testing.T) {
	for _, s := range []string{strings.Repeat("@", 1<<16), strings.Repeat("x", 2000) + strings.Repeat("@", 1<<16),
		strings.Repeat("a:b@", 1<<14), strings.Repeat("a=", 1<<15), strings.Repeat("%2525", 1<<14), strings.Repeat(`"a":`, 1<<14),
		strings.Repeat(`password=\"`, 1<<13), strings.Repeat("&quot;", 1<<14), strings.Repeat("u:p@h ", 1<<13)} {
		start := time.Now()
		Redact(s)
		redactQuery("q="+s, defaultKeys)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%.12q… (%d bytes): %v", s, len(s), d)
		}
	}
}
