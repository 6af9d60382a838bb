package platform

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the service's migrations, golang-migrate style:
// {version}_{title}.up.sql and .down.sql.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree always has the folder
	}
	return sub
}

var upFile = regexp.MustCompile(`^([0-9]+)_.*\.up\.sql$`)

// Migrate applies the migrations not yet applied, recording them in
// golang-migrate's table (schema_migrations: version, dirty) so that the
// migrate CLI and sqlcheck.Migrations read the same state. A production
// service would use golang-migrate itself; this keeps the example small.
func Migrate(ctx context.Context, db *sql.DB, dialect string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	var current int64 = -1
	var dirty bool
	err := db.QueryRowContext(ctx, `SELECT version, dirty FROM schema_migrations LIMIT 1`).Scan(&current, &dirty)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("migrations: %w", err)
	}
	if dirty {
		return fmt.Errorf("migrations: version %d is dirty; repair the database first", current)
	}
	files, err := fs.ReadDir(Migrations(), ".")
	if err != nil {
		return err
	}
	type up struct {
		version int64
		name    string
	}
	var ups []up
	for _, f := range files {
		if m := upFile.FindStringSubmatch(f.Name()); m != nil {
			v, _ := strconv.ParseInt(m[1], 10, 64)
			ups = append(ups, up{v, f.Name()})
		}
	}
	sort.Slice(ups, func(i, j int) bool { return ups[i].version < ups[j].version })
	for _, u := range ups {
		if u.version <= current {
			continue
		}
		body, err := fs.ReadFile(Migrations(), u.name)
		if err != nil {
			return err
		}
		if err := setVersion(ctx, db, dialect, u.version, true); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", u.name, err)
		}
		if err := setVersion(ctx, db, dialect, u.version, false); err != nil {
			return err
		}
	}
	return nil
}

func setVersion(ctx context.Context, db *sql.DB, dialect string, version int64, dirty bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_migrations`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, rebind(dialect, `INSERT INTO schema_migrations (version, dirty) VALUES (?, ?)`), version, dirty); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return tx.Commit()
}

// rebind turns ? placeholders into PostgreSQL's $1, $2…
func rebind(dialect, q string) string {
	if dialect != "pgx" {
		return q
	}
	out := make([]byte, 0, len(q)+8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$')
			out = strconv.AppendInt(out, int64(n), 10)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}
