package sqlcheck_test

import (
	"database/sql"
	"embed"
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
