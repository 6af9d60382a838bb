// Package hostile holds the texts that carry a secret, in every shape a
// round of hostile testing found, for the tests of package redact and of
// package dockerflow (which runs them through every output). Each carries
// Secret.
package hostile

// Secret is the secret every hostile text carries, in some shape.
const Secret = "S3CRET"

// Query strings (DOCKERFLOW_SUMMARY_LOG_QUERYSTRING=true) that carry a
// secret nested or encoded: issue 22's twenty shapes and more. None may
// log S3CRET, at any level of decoding.
var Queries = []string{
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

// Texts (check messages, failure texts, start-up errors) that carry a
// secret: issue 22's shapes and more. Redact must leave none of them.
var Texts = []string{
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
var Texts33 = []string{
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

// Leaks33 are the texts above Redact leaves a secret in, by
// design: shapes it does not claim (prose, XML elements), each a guess
// whose price would be redacting ordinary words. At most three, none of
// a documented shape.
var Leaks33 = map[string]bool{
	`<password>S3CRET</password>`: true,
	`the password is S3CRET`:      true,
}

// Paths that carry a secret (issue 33: the summary's path never passed
// through redaction).
var Paths = []string{
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
var RequestTexts = []string{
	"Mozilla/5.0 https://u:S3CRET@h/",
	"curl/8.0 (token=S3CRET)",
	"bot; Authorization: Bearer S3CRET",
	"en;password=S3CRET",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.S3CRETsig",
	`{"api_key":"S3CRET"}`,
	"app --password S3CRET",
}
