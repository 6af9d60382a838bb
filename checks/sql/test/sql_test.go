package test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	sqlcheck "github.com/dockerflow-go/dockerflow/checks/sql"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/faulttest"
	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

const password = "hunter2-secret"

// dialect is a database the tests run against.
type dialect struct {
	name, driver, dsn string
	// badCredentials is a DSN with a password the server refuses.
	badCredentials string
	// at returns a DSN for the same database at another address.
	at func(addr string) string
}

func dialects(t *testing.T) []dialect {
	ds := []dialect{{
		name: "sqlite", driver: "sqlite", dsn: "file:" + filepath.Join(t.TempDir(), "test.db"),
	}}
	if dsn := os.Getenv("TEST_DOCKERFLOW_POSTGRES_DSN"); dsn != "" {
		ds = append(ds, dialect{name: "postgres", driver: "pgx", dsn: dsn,
			badCredentials: "postgres://no_such_user:" + password + "@" + hostOf(t, dsn) + "/test?sslmode=disable&connect_timeout=5",
			at: func(addr string) string {
				return "postgres://postgres:" + password + "@" + addr + "/test?sslmode=disable"
			}})
	} else {
		t.Log("TEST_DOCKERFLOW_POSTGRES_DSN is not set: PostgreSQL is not tested (.ci/run sets it)")
	}
	if dsn := os.Getenv("TEST_DOCKERFLOW_MYSQL_DSN"); dsn != "" {
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatalf("TEST_DOCKERFLOW_MYSQL_DSN: %v", err)
		}
		bad := cfg.Clone()
		bad.Passwd = password
		ds = append(ds, dialect{name: "mysql", driver: "mysql", dsn: dsn, badCredentials: bad.FormatDSN(),
			at: func(addr string) string { c := cfg.Clone(); c.Addr, c.Passwd = addr, password; return c.FormatDSN() }})
	} else {
		t.Log("TEST_DOCKERFLOW_MYSQL_DSN is not set: MariaDB is not tested (.ci/run sets it)")
	}
	return ds
}

func hostOf(t *testing.T, dsn string) string {
	rest := dsn[strings.Index(dsn, "@")+1:]
	return rest[:strings.IndexAny(rest, "/?")]
}

func open(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// heartbeat runs the checks once on a service and returns their messages
// by check name, and how long it took.
func heartbeat(t *testing.T, timeout time.Duration, checks ...dockerflow.Check) (map[string][]dockerflow.Message, time.Duration) {
	t.Helper()
	svc, _ := dockerflowtest.NewService(t, dockerflow.Config{CheckTimeout: timeout})
	if err := svc.Register(checks...); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := svc.Heartbeat(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]dockerflow.Message{}
	for _, c := range rep.Checks {
		out[c.Name] = c.Messages
		for _, m := range c.Messages {
			if strings.Contains(m.Text, password) {
				t.Errorf("%s: message leaks the password: %q", c.Name, m.Text)
			}
		}
	}
	return out, time.Since(start)
}

// ids returns the messages' IDs, in order.
func ids(msgs []dockerflow.Message) string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.ID)
	}
	return strings.Join(s, ",")
}

// silent is the address of a server that accepts and never answers.
func silent(t *testing.T) string {
	addr, _ := faulttest.SilentListener(t)
	return addr
}

func TestConnected(t *testing.T) {
	for _, d := range dialects(t) {
		t.Run(d.name, func(t *testing.T) {
			t.Run("healthy", func(t *testing.T) {
				got, _ := heartbeat(t, 5*time.Second, sqlcheck.Connected(open(t, d.driver, d.dsn)))
				if len(got["database"]) != 0 {
					t.Errorf("messages %v", got["database"])
				}
			})
			if d.at == nil {
				return // SQLite has no server
			}
			t.Run("nothing-listening", func(t *testing.T) {
				got, _ := heartbeat(t, 5*time.Second, sqlcheck.Connected(open(t, d.driver, d.at(faulttest.FreeAddr(t)))))
				if ids(got["database"]) != sqlcheck.IDCannotConnect {
					t.Errorf("messages %v, want E001", got["database"])
				}
			})
			t.Run("wrong-credentials", func(t *testing.T) {
				got, _ := heartbeat(t, 5*time.Second, sqlcheck.Connected(open(t, d.driver, d.badCredentials)))
				if ids(got["database"]) != sqlcheck.IDMisconfigured {
					t.Errorf("messages %v, want E003", got["database"])
				}
				t.Logf("%v", got["database"])
			})
			t.Run("never-answers", func(t *testing.T) {
				db := open(t, d.driver, d.at(silent(t)))
				for i := 0; i < 3; i++ {
					got, took := heartbeat(t, 200*time.Millisecond, sqlcheck.Connected(db))
					msgs := got["database"]
					if took > 2*time.Second || len(msgs) != 1 || msgs[0].Level != dockerflow.LevelError {
						t.Errorf("took %v, messages %v: want one error within the timeout", took, msgs)
					}
					t.Logf("took %v: %v", took, msgs)
				}
			})
		})
	}
	t.Run("nil", func(t *testing.T) {
		got, _ := heartbeat(t, time.Second, sqlcheck.Connected(nil))
		if ids(got["database"]) != sqlcheck.IDMisconfigured {
			t.Errorf("messages %v", got["database"])
		}
	})
}

// fixture creates a tool's version table under a unique name and returns
// the name; it is dropped when the test ends.
func fixture(t *testing.T, db *sql.DB, tool sqlcheck.Tool, rows ...string) string {
	t.Helper()
	table := fmt.Sprintf("dfcheck_%d", rand.Uint32())
	schema := "(version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)"
	if tool == sqlcheck.Goose {
		schema = "(id bigint NOT NULL PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL)"
	}
	exec := func(q string) {
		t.Helper()
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TABLE " + table + " " + schema)
	t.Cleanup(func() { _, _ = db.Exec("DROP TABLE " + table) })
	for _, r := range rows {
		exec("INSERT INTO " + table + " VALUES " + r)
	}
	return table
}

var (
	migrateFS = fstest.MapFS{
		"1_users.up.sql": {}, "1_users.down.sql": {}, "2_orders.up.sql": {}, "2_orders.down.sql": {},
		"3_index.up.sql": {}, "3_index.down.sql": {}, "README.md": {},
	}
	gooseFS = fstest.MapFS{
		"00001_users.sql": {}, "00002_orders.go": {}, "00003_index.sql": {}, "helpers_test.go": {}, "00002_orders_test.go": {},
	}
)

func TestMigrations(t *testing.T) {
	W, I := sqlcheck.IDUnappliedMigration, sqlcheck.IDCannotCheckMigrations
	for _, d := range dialects(t) {
		t.Run(d.name, func(t *testing.T) {
			db := open(t, d.driver, d.dsn)
			for _, tc := range []struct {
				name  string
				tool  sqlcheck.Tool
				rows  []string
				want  string
				texts []string
			}{
				{"migrate-equal", sqlcheck.GolangMigrate, []string{"(3, false)"}, "", nil},
				{"migrate-ahead", sqlcheck.GolangMigrate, []string{"(4, false)"}, "", nil},
				{"migrate-behind", sqlcheck.GolangMigrate, []string{"(1, false)"}, W + "," + W,
					[]string{"migration 2 (2_orders.up.sql) is not applied", "migration 3 (3_index.up.sql) is not applied"}},
				{"migrate-dirty", sqlcheck.GolangMigrate, []string{"(3, true)"}, W,
					[]string{"migration 3 is dirty: it failed part way; repair the database, then force the version"}},
				{"migrate-empty", sqlcheck.GolangMigrate, nil, W + "," + W + "," + W, nil},
				{"goose-equal", sqlcheck.Goose, []string{"(1, 0, true)", "(2, 1, true)", "(3, 2, true)", "(4, 3, true)"}, "", nil},
				{"goose-behind", sqlcheck.Goose, []string{"(1, 0, true)", "(2, 1, true)"}, W + "," + W,
					[]string{"migration 2 (00002_orders.go) is not applied", "migration 3 (00003_index.sql) is not applied"}},
				{"goose-rolled-back", sqlcheck.Goose, []string{"(1, 1, true)", "(2, 2, true)", "(3, 3, true)", "(4, 3, false)"}, W,
					[]string{"migration 3 (00003_index.sql) is not applied"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					fsys := migrateFS
					if tc.tool == sqlcheck.Goose {
						fsys = gooseFS
					}
					check, err := sqlcheck.Migrations(db, sqlcheck.MigrationsConfig{Tool: tc.tool, FS: fsys, Table: fixture(t, db, tc.tool, tc.rows...)})
					if err != nil {
						t.Fatal(err)
					}
					got, _ := heartbeat(t, 5*time.Second, check)
					msgs := got["migrations"]
					if ids(msgs) != tc.want {
						t.Fatalf("messages %v, want IDs %q", msgs, tc.want)
					}
					for i, txt := range tc.texts {
						if msgs[i].Text != txt {
							t.Errorf("message %d = %q, want %q", i, msgs[i].Text, txt)
						}
					}
				})
			}
			t.Run("table-missing", func(t *testing.T) {
				for _, tool := range []sqlcheck.Tool{sqlcheck.GolangMigrate, sqlcheck.Goose} {
					check, err := sqlcheck.Migrations(db, sqlcheck.MigrationsConfig{Tool: tool, Versions: []int64{1}, Table: "dfcheck_missing"})
					if err != nil {
						t.Fatal(err)
					}
					got, _ := heartbeat(t, 5*time.Second, check)
					if msgs := got["migrations"]; ids(msgs) != I || msgs[0].Level != dockerflow.LevelInfo {
						t.Errorf("%v: messages %v, want one info I001", tool, msgs)
					}
				}
			})
			if d.at != nil {
				t.Run("database-down", func(t *testing.T) {
					check, _ := sqlcheck.Migrations(open(t, d.driver, d.at(faulttest.FreeAddr(t))), sqlcheck.MigrationsConfig{Tool: sqlcheck.Goose, Versions: []int64{1}})
					got, _ := heartbeat(t, 5*time.Second, check)
					if ids(got["migrations"]) != I {
						t.Errorf("messages %v, want I001", got["migrations"])
					}
				})
			}
		})
	}
}

func TestMigrationsConfigErrors(t *testing.T) {
	db := open(t, "sqlite", "file:"+filepath.Join(t.TempDir(), "x.db"))
	for _, tc := range []struct {
		cfg  sqlcheck.MigrationsConfig
		want string
	}{
		{sqlcheck.MigrationsConfig{FS: migrateFS}, "unknown migration tool"},
		{sqlcheck.MigrationsConfig{Tool: sqlcheck.GolangMigrate}, "no golang-migrate migrations"},
		{sqlcheck.MigrationsConfig{Tool: sqlcheck.Goose, FS: fstest.MapFS{"README.md": {}, "notes.txt": {}}}, "no goose migrations"},
		{sqlcheck.MigrationsConfig{Tool: sqlcheck.Goose, FS: fstest.MapFS{"1_a.sql": {}, "01_b.sql": {}}}, "two migrations with version 1"},
		{sqlcheck.MigrationsConfig{Tool: sqlcheck.Goose, Versions: []int64{1}, Table: "x; DROP TABLE users"}, "not a plain SQL identifier"},
	} {
		if _, err := sqlcheck.Migrations(db, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one saying %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := sqlcheck.Migrations(nil, sqlcheck.MigrationsConfig{Tool: sqlcheck.Goose, Versions: []int64{1}}); err == nil {
		t.Error("nil db accepted")
	}
}
