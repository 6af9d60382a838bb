package platform

import (
	"strings"
	"testing"

	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

func TestLoadConfig(t *testing.T) {
	for _, tc := range []struct {
		env              map[string]string
		addr, driver, ds string
		redis            string
		err              string
	}{
		{env: nil, addr: ":8000"},
		{env: map[string]string{"PORT": "9000", "DATABASE_URL": "postgres://app:pw@db:5432/x?sslmode=disable"}, addr: ":9000", driver: "pgx",
			ds: "postgres://app:pw@db:5432/x?sslmode=disable"},
		{env: map[string]string{"DATABASE_URL": "mysql://app:pw@db/shop"}, addr: ":8000", driver: "mysql", ds: "app:pw@tcp(db:3306)/shop?parseTime=true"},
		{env: map[string]string{"DATABASE_URL": "sqlite:/var/lib/app.db"}, addr: ":8000", driver: "sqlite", ds: "file:/var/lib/app.db?_pragma=busy_timeout(5000)"},
		{env: map[string]string{"DATABASE_URL": "sqlite:///var/lib/app.db"}, addr: ":8000", driver: "sqlite", ds: "file:/var/lib/app.db?_pragma=busy_timeout(5000)"},
		{env: map[string]string{"REDIS_URL": "redis://:pw@cache:6380/2"}, addr: ":8000", redis: "cache:6380"},
		{env: map[string]string{"DATABASE_URL": "sqlite:"}, err: `invalid DATABASE_URL="sqlite:": want a path`},
		{env: map[string]string{"DATABASE_URL": "mysql://root:pw@/x"}, err: `invalid DATABASE_URL="mysql://root:xxxxx@/x": want a host`},
		{env: map[string]string{"REDIS_URL": "redis://:pw@cache:port"}, err: `invalid REDIS_URL="redis://:xxxxx@cache:port"`},
	} {
		c, err := LoadConfig(dockerflowtest.Env(tc.env))
		switch {
		case tc.err != "":
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) || strings.Contains(err.Error(), ":pw@") {
				t.Errorf("%v: error %v, want %q", tc.env, err, tc.err)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.env, err)
		case c.Addr != tc.addr || c.Database != tc.driver || c.DSN != tc.ds:
			t.Errorf("%v: %+v", tc.env, c)
		case tc.redis != "" && (c.Redis == nil || c.Redis.Addr != tc.redis):
			t.Errorf("%v: redis %+v", tc.env, c.Redis)
		}
	}
}

// Malformed URLs (issue 22): the start-up error names the variable and
// never prints the password, whatever the URL's shape.
func TestLoadConfigNeverPrintsPasswords(t *testing.T) {
	const pw = "S3CRETPW"
	for _, env := range []map[string]string{
		{"DATABASE_URL": "app:" + pw + "@db:5432/app"},
		{"DATABASE_URL": "root:" + pw + "@/test"},
		{"DATABASE_URL": "postgres:/app:" + pw + "@db/app"},
		{"DATABASE_URL": "postgres//app:" + pw + "@db/app"},
		{"DATABASE_URL": "postgres://app:" + pw + "@[::1/app"},
		{"DATABASE_URL": "mysql://root:" + pw + "@db:port/x"},
		{"DATABASE_URL": "ftp://app:" + pw + "@db/app"},
		{"REDIS_URL": ":" + pw + "@127.0.0.1:6379"},
		{"REDIS_URL": "default:" + pw + "@127.0.0.1:6379"},
		{"REDIS_URL": "redis:/:" + pw + "@127.0.0.1:6379"},
		{"REDIS_URL": "redis//:" + pw + "@127.0.0.1:6379"},
		{"REDIS_URL": "redis://:" + pw + "@127.0.0.1:port"},
		{"REDIS_URL": "redis://default:" + pw + "@127.0.0.1:6379/x"},
	} {
		_, err := LoadConfig(dockerflowtest.Env(env))
		if err == nil {
			t.Errorf("%v: no error", env)
			continue
		}
		for name := range env {
			if msg := err.Error(); strings.Contains(msg, pw) || !strings.Contains(msg, name) {
				t.Errorf("%v: %s", env, msg)
			}
		}
	}
}
