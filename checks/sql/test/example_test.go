package test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"testing/fstest"

	sqlcheck "github.com/dockerflow-go/dockerflow/checks/sql"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	_ "modernc.org/sqlite"
)

// The package's example, run on SQLite, with the output it documents.
func Example_sqlite() {
	db, _ := sql.Open("sqlite", "file::memory:") // a real service has its database
	defer db.Close()
	db.SetMaxOpenConns(1)
	// golang-migrate has applied migration 1 of the 2 the service ships.
	_, _ = db.Exec(`CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
		INSERT INTO schema_migrations VALUES (1, false)`)
	shipped := fstest.MapFS{ // in a service: fs.Sub(embeddedFS, "migrations")
		"1_create_users.up.sql": {}, "1_create_users.down.sql": {},
		"2_add_email.up.sql": {}, "2_add_email.down.sql": {},
	}

	migrations, err := sqlcheck.Migrations(db, sqlcheck.MigrationsConfig{Tool: sqlcheck.GolangMigrate, FS: shipped})
	if err != nil {
		fmt.Println(err)
		return
	}
	svc, _ := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	defer svc.Close()
	_ = svc.Register(sqlcheck.Connected(db), migrations)

	rep, _ := svc.Heartbeat(context.Background())
	fmt.Println(rep.Level.String(), "failed:", rep.Level.Failed())
	for _, c := range rep.Checks {
		fmt.Println(c.Name, c.Level, c.Messages)
	}
	// Output:
	// warning failed: false
	// database ok []
	// migrations warning [{dockerflow.health.W001 warning migration 2 (2_add_email.up.sql) is not applied}]
}
