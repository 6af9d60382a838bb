package sqlcheck_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"

	sqlcheck "github.com/dockerflow-go/dockerflow/checks/sql"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

//go:embed testdata/migrations/*.sql
var migrationFiles embed.FS

// A service registers the database checks on the *sql.DB it already has,
// opened with its own driver (pgx, go-sql-driver/mysql, modernc.org/sqlite
// and others: the checks use none of their types). The test module
// checks/sql/test runs this against real PostgreSQL, MariaDB and SQLite.
func Example() {
	db, err := sql.Open("pgx", "postgres://app@db:5432/app") // the service's own database
	if err != nil {
		log.Fatal(err)
	}
	files, _ := fs.Sub(migrationFiles, "testdata/migrations")
	migrations, err := sqlcheck.Migrations(db, sqlcheck.MigrationsConfig{Tool: sqlcheck.GolangMigrate, FS: files})
	if err != nil {
		log.Fatal(err) // no migrations found, a bad table name…
	}
	svc, err := dockerflow.New(dockerflow.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	// "database": SELECT 1 answers; "migrations": every shipped migration is applied.
	if err := svc.Register(sqlcheck.Connected(db), migrations); err != nil {
		log.Fatal(err)
	}
}

// downDriver is a database/sql driver whose server is down; its error
// quotes the DSN, as some drivers' do.
type downDriver struct{}

func (downDriver) Open(name string) (driver.Conn, error) {
	return nil, errors.New("failed to connect to " + name + ": dial tcp 10.0.0.5:5432: connect: connection refused")
}

// What the heartbeat says when the database is down: the check's message,
// without the DSN's password.
func ExampleConnected() {
	sql.Register("down", downDriver{})
	db, _ := sql.Open("down", "postgres://app:hunter2@10.0.0.5:5432/app")
	defer db.Close()
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	_ = svc.Register(sqlcheck.Connected(db))

	rep, _ := svc.Heartbeat(context.Background())
	for _, c := range rep.Checks {
		for _, m := range c.Messages {
			fmt.Println(c.Name, m.Level, m.ID, m.Text)
		}
	}
	// Output:
	// database error dockerflow.health.E001 cannot connect to database: failed to connect to postgres://app:xxxxx@10.0.0.5:5432/app: dial tcp 10.0.0.5:5432: connect: connection refused
}
