package e2e

import (
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/faulttest"
	"github.com/go-sql-driver/mysql"
)

const okHeartbeat = `{"status":"ok","checks":{"database":"ok","migrations":"ok","redis":"ok"},"details":{}}`

// versionDir makes an APP_DIR holding the version.json that versionjson
// writes for a GitHub Actions tag build, and returns it with the object
// as /__version__ serves it.
func versionDir(t *testing.T) (dir, served string) {
	dir = t.TempDir()
	cmd := exec.Command(bin["cmd/versionjson"], "-o", filepath.Join(dir, "version.json"))
	cmd.Env = append(os.Environ(), "GITHUB_SHA=52ce614fbf99540a1bf6228e36be6cef63b4d73b", "GITHUB_REPOSITORY=acme/notes",
		"GITHUB_SERVER_URL=https://github.com", "GITHUB_RUN_ID=2223", "GITHUB_REF_TYPE=tag", "GITHUB_REF_NAME=v2026.11.0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("versionjson: %v\n%s", err, b)
	}
	return dir, `{"source":"https://github.com/acme/notes","version":"v2026.11.0","commit":"52ce614fbf99540a1bf6228e36be6cef63b4d73b","build":"https://github.com/acme/notes/actions/runs/2223"}`
}

// The examples follow the contract by default: no version.json is a 404
// saying so; the build information stands in only when
// DOCKERFLOW_VERSION_FROM_BUILD_INFO asks for it (issue 33: the platform
// forced it on, and no setting gave the contract's 404).
func TestVersionFollowsTheContract(t *testing.T) {
	empty := t.TempDir()
	s := start(t, "chi", "APP_DIR="+empty, "DATABASE_URL=", "REDIS_URL=")
	s.want("GET", "/__version__", nil, 404, "version.json not found")
	s = start(t, "chi", "APP_DIR="+empty, "DATABASE_URL=", "REDIS_URL=", "DOCKERFLOW_VERSION_FROM_BUILD_INFO=true")
	if code, body := s.do("GET", "/__version__", nil); code != 200 || !strings.Contains(body, `"source"`) {
		t.Errorf("with DOCKERFLOW_VERSION_FROM_BUILD_INFO=true: %d %s, want the build's version object", code, body)
	}
}

// exercise runs the business routes and the endpoints on a fresh service.
func exercise(t *testing.T, s *service, served string) {
	s.want("GET", "/__lbheartbeat__", nil, 200, "")
	s.want("HEAD", "/__heartbeat__", nil, 200, "")
	s.want("GET", "/__heartbeat__", nil, 200, okHeartbeat)
	s.want("GET", "/__version__", nil, 200, served)
	s.want("POST", "/__version__", nil, 405, "method not allowed")
	s.want("PUT", "/notes/first", strings.NewReader("hello"), 200, `{"name":"first","body":"hello","author":"ann"}`+"\n", "X-User", "ann")
	s.want("GET", "/notes/first", nil, 200, `{"name":"first","body":"hello","author":"ann"}`+"\n")
	s.want("GET", "/notes/missing-note", nil, 404, `{"error":"no note named missing-note"}`+"\n")
	code, first := s.do("POST", "/counter", nil)
	_, second := s.do("POST", "/counter", nil)
	if code != 200 || !strings.HasPrefix(first, `{"count":`) || first == second {
		t.Errorf("counter: %d %q then %q", code, first, second)
	}
}

func TestEmbeddedDefaults(t *testing.T) {
	for _, example := range examples {
		t.Run(example, func(t *testing.T) {
			dir, served := versionDir(t)
			s := start(t, example, "APP_DIR="+dir, "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS=true", "DATABASE_URL=", "REDIS_URL=")
			exercise(t, s, served)
			gracefulShutdown(t, s)

			lines := s.logLines()
			if msg, _ := lines[0]["Fields"].(map[string]any)["msg"].(string); !strings.Contains(msg, "embedded defaults") {
				t.Errorf("first log line %v does not say it runs on embedded defaults", lines[0])
			}
			sums := s.checkSummaries()
			for rid, f := range sums {
				if f["method"] == "PUT" && f["path"] == "/notes/first" && f["uid"] != "ann" {
					t.Errorf("summary %s: uid %v, want ann", rid, f["uid"])
				}
				if f["path"] == "/notes/first" && f["route"] == nil {
					t.Errorf("summary %s has no route", rid)
				}
			}
		})
	}
}

// gracefulShutdown sends SIGTERM while a request is in flight (its body
// half sent): the request must finish, then the process exit 0.
func gracefulShutdown(t *testing.T, s *service) {
	t.Helper()
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	var code int
	var body string
	wg.Add(1)
	go func() {
		defer wg.Done()
		// With Expect: 100-continue the client sends the body once the
		// handler reads it: the first write below returns then.
		code, body, _ = s.try("PUT", "/notes/in-flight", pr, "Expect", "100-continue")
	}()
	_, _ = pw.Write([]byte("hal"))
	go s.stop()
	time.Sleep(200 * time.Millisecond) // the service is shutting down
	_, _ = pw.Write([]byte("f done"))
	pw.Close()
	wg.Wait()
	<-s.exited
	if code != 200 || !strings.Contains(body, `"body":"half done"`) {
		t.Errorf("in-flight request: %d %q, want it finished", code, body)
	}
	if s.exitErr != nil {
		t.Errorf("exit: %v, want 0", s.exitErr)
	}
}

// realDatabases are the DATABASE_URLs of the real servers.
func realDatabases(t *testing.T) map[string]string {
	dbs := map[string]string{}
	if dsn := os.Getenv("TEST_DOCKERFLOW_POSTGRES_DSN"); dsn != "" {
		dbs["postgres"] = dsn
	}
	if dsn := os.Getenv("TEST_DOCKERFLOW_MYSQL_DSN"); dsn != "" {
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u := url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName, User: url.UserPassword(cfg.User, cfg.Passwd)}
		if cfg.Passwd == "" {
			u.User = url.User(cfg.User)
		}
		dbs["mariadb"] = u.String()
	}
	return dbs
}

func TestRealBackends(t *testing.T) {
	redisAddr := os.Getenv("TEST_DOCKERFLOW_REDIS_ADDR")
	dbs := realDatabases(t)
	if redisAddr == "" || len(dbs) < 2 {
		t.Skip("TEST_DOCKERFLOW_REDIS_ADDR, TEST_DOCKERFLOW_POSTGRES_DSN and TEST_DOCKERFLOW_MYSQL_DSN are not all set: no real servers to test against (.ci/run sets them)")
	}
	for _, example := range examples {
		for dbName, dbURL := range dbs {
			t.Run(example+"/"+dbName, func(t *testing.T) {
				dir, served := versionDir(t)
				redis := faulttest.NewProxy(t, redisAddr)
				s := start(t, example, "APP_DIR="+dir, "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS=true", "DOCKERFLOW_CHECK_TIMEOUT=1s",
					"DATABASE_URL="+dbURL, "REDIS_URL=redis://"+redis.Addr()+"/0")
				exercise(t, s, served)

				// Redis made unreachable: the heartbeat fails, within its timeout.
				redis.Cut()
				began := time.Now()
				code, body := s.do("GET", "/__heartbeat__", nil)
				if code != 500 || !strings.Contains(body, `"redis":"error"`) || !strings.Contains(body, `"database":"ok"`) {
					t.Errorf("heartbeat with Redis unreachable: %d %s", code, body)
				}
				if d := time.Since(began); d > 5*time.Second {
					t.Errorf("heartbeat took %v with a 1s check timeout", d)
				}
				s.want("GET", "/__lbheartbeat__", nil, 200, "")
				s.stop()
				s.checkSummaries()
				lines := s.logLines()
				if msg, _ := lines[0]["Fields"].(map[string]any)["msg"].(string); msg != "using DATABASE_URL and REDIS_URL" {
					t.Errorf("first log line %v", lines[0])
				}
			})
		}
	}
}

// An invalid variable stops start-up with one line naming it, and never
// prints a password, whatever the URL's shape.
func TestInvalidEnvironment(t *testing.T) {
	for env, want := range map[string]string{
		"PORT=abc":                            `error: invalid PORT="abc": want a port number from 1 to 65535`,
		"DOCKERFLOW_CHECK_TIMEOUT=soon":       `error: invalid DOCKERFLOW_CHECK_TIMEOUT="soon": want a duration from 1ms to 1m such as "800ms" or "2s"`,
		"DATABASE_URL=ftp://u:hunter2@h/x":    `error: invalid DATABASE_URL="ftp://u:xxxxx@h/x": want a scheme of postgres://, mysql:// or sqlite:, not "ftp"`,
		"DATABASE_URL=postgres://u:hunter2@/": `error: invalid DATABASE_URL="postgres://u:xxxxx@/": want a host: postgres://user@host:5432/db`,
		"REDIS_URL=http://:hunter2@cache":     `error: invalid REDIS_URL="http://:xxxxx@cache": want a URL such as redis://host:6379/0 (redis: invalid URL scheme: http)`,
		// Base64 passwords hold '/'; url.Parse then quotes a piece of them.
		"REDIS_URL=redis://:ZQXp/w6@127.0.0.1:6379/0x": `error: invalid REDIS_URL="redis://:xxxxx@127.0.0.1:6379/0x": want a URL such as redis://host:6379/0 (invalid port "…" after host)`,
		"REDIS_URL=redis://:ZQ Xp\tw6\n@h:port/0":      `error: invalid REDIS_URL="redis://:xxxxx@h:port/0": want a URL such as redis://host:6379/0 (net/url: invalid control character in URL)`,
		// pgx quotes the whole DSN when it cannot parse it.
		"DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?password=ZQXpw19&sslmode=bogus": "error: migrations: cannot parse `postgres://postgres@127.0.0.1:5432/test?password=xxxxx&sslmode=bogus`: failed to configure TLS (sslmode is invalid)",
	} {
		env = strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(env)
		for _, example := range examples {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			cmd := exec.CommandContext(ctx, bin[example])
			cmd.Env = append(os.Environ(), "PORT=1", env)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdout, err := cmd.Output()
			cancel()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Errorf("%s with %q: %v, want exit status 1", example, env, err)
			}
			if got := strings.TrimSpace(stderr.String()); got != want {
				t.Errorf("%s with %q printed\n  %q\nwant\n  %q", example, env, got, want)
			}
			for _, secret := range []string{"hunter2", "ZQXp", "w6", "ZQXpw19"} {
				if strings.Contains(string(stdout)+stderr.String(), secret) {
					t.Errorf("%s with %q printed %q", example, env, secret)
				}
			}
		}
	}
}
