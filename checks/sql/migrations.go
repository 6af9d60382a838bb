package sqlcheck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Tool is a migration tool whose version table the check reads.
type Tool int

// The migration tools the check knows.
const (
	// GolangMigrate is github.com/golang-migrate/migrate: a table
	// schema_migrations with one row (version, dirty). Migration files are
	// {version}_{title}.up.{ext}.
	GolangMigrate Tool = iota + 1
	// Goose is github.com/pressly/goose: a table goose_db_version with a
	// row per migration applied or rolled back (version_id, is_applied).
	// Migration files are {version}_{name}.sql or .go.
	Goose
)

func (t Tool) String() string {
	switch t {
	case GolangMigrate:
		return "golang-migrate"
	case Goose:
		return "goose"
	}
	return "Tool(" + strconv.Itoa(int(t)) + ")"
}

// MigrationsConfig says which migrations the service ships and where the
// tool records those applied.
type MigrationsConfig struct {
	// Tool is the migration tool. Required.
	Tool Tool
	// FS holds the service's migration files at its root (use fs.Sub on
	// an embed.FS); the expected versions are read from their names.
	FS fs.FS
	// Versions are the expected versions, for services that do not ship
	// the files. Used when FS is nil.
	Versions []int64
	// Table is the tool's version table, "schema_migrations"
	// (golang-migrate) or "goose_db_version" (goose) by default. It may be
	// schema-qualified ("app.schema_migrations").
	Table string
}

var (
	migrateFile = regexp.MustCompile(`^([0-9]+)_(.*)\.up\.[^.]+$`)
	gooseFile   = regexp.MustCompile(`^([0-9]+)_(.+)\.(sql|go)$`)
	identifier  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)
)

// migration is one expected migration.
type migration struct {
	version int64
	name    string // the file's name, or "" when only the version is known
}

func (m migration) String() string {
	if m.name != "" {
		return strconv.FormatInt(m.version, 10) + " (" + m.name + ")"
	}
	return strconv.FormatInt(m.version, 10)
}

// Migrations returns a check named "migrations" that compares the
// migrations the service ships with those the tool has applied to db:
//
//   - dockerflow.health.W001 for each migration not applied, and for a
//     golang-migrate version left dirty by a migration that failed part way;
//   - dockerflow.health.I001 when it cannot tell: the version table is
//     missing or the database cannot be queried.
//
// Warnings and info do not fail the heartbeat. The queries are plain SQL
// that PostgreSQL, MySQL/MariaDB and SQLite all run; the error is about
// the configuration (no migrations in FS, a bad table name, no tool).
func Migrations(db *sql.DB, cfg MigrationsConfig) (dockerflow.Check, error) {
	expected, err := cfg.expected()
	if err != nil {
		return dockerflow.Check{}, err
	}
	table := cfg.Table
	if table == "" {
		table = map[Tool]string{GolangMigrate: "schema_migrations", Goose: "goose_db_version"}[cfg.Tool]
	}
	if !identifier.MatchString(table) {
		return dockerflow.Check{}, fmt.Errorf("sqlcheck: table %q is not a plain SQL identifier", table)
	}
	if db == nil {
		return dockerflow.Check{}, errors.New("sqlcheck: nil *sql.DB")
	}
	applied := migrateApplied
	if cfg.Tool == Goose {
		applied = gooseApplied
	}
	return dockerflow.Check{Name: "migrations", Func: func(ctx context.Context) []dockerflow.Message {
		msgs, err := applied(ctx, db, table, expected)
		if err != nil {
			return []dockerflow.Message{{ID: IDCannotCheckMigrations, Level: dockerflow.LevelInfo,
				Text: fmt.Sprintf("cannot check %s migrations in %s: %s", cfg.Tool, table, redact(err))}}
		}
		return msgs
	}}, nil
}

// expected returns the migrations the service ships, in version order.
func (cfg MigrationsConfig) expected() ([]migration, error) {
	var pattern *regexp.Regexp
	switch cfg.Tool {
	case GolangMigrate:
		pattern = migrateFile
	case Goose:
		pattern = gooseFile
	default:
		return nil, fmt.Errorf("sqlcheck: unknown migration tool %v: use GolangMigrate or Goose", cfg.Tool)
	}
	var out []migration
	if cfg.FS == nil {
		for _, v := range cfg.Versions {
			out = append(out, migration{version: v})
		}
	} else {
		entries, err := fs.ReadDir(cfg.FS, ".")
		if err != nil {
			return nil, fmt.Errorf("sqlcheck: reading the migrations: %w", err)
		}
		for _, e := range entries {
			m := pattern.FindStringSubmatch(e.Name())
			if e.IsDir() || m == nil || (cfg.Tool == Goose && strings.HasSuffix(e.Name(), "_test.go")) {
				continue
			}
			v, err := strconv.ParseInt(m[1], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("sqlcheck: migration %s: version %w", e.Name(), err)
			}
			out = append(out, migration{version: v, name: e.Name()})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sqlcheck: no %s migrations: FS has no files named like them and Versions is empty", cfg.Tool)
	}
	slices.SortFunc(out, func(a, b migration) int { return compare(a.version, b.version) })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("sqlcheck: two migrations with version %d: %s and %s", out[i].version, out[i-1], out[i])
		}
	}
	return out, nil
}

func compare(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func notApplied(m migration) dockerflow.Message {
	return dockerflow.Warning(IDUnappliedMigration, "migration "+m.String()+" is not applied")
}

// migrateApplied reads golang-migrate's single row: every version up to
// it is applied, unless it is dirty.
func migrateApplied(ctx context.Context, db *sql.DB, table string, expected []migration) ([]dockerflow.Message, error) {
	var (
		current int64 = -1
		dirty   bool
	)
	err := db.QueryRowContext(ctx, "SELECT version, dirty FROM "+table+" LIMIT 1").Scan(&current, &dirty)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	var msgs []dockerflow.Message
	if dirty {
		msgs = append(msgs, dockerflow.Warning(IDUnappliedMigration, fmt.Sprintf(
			"migration %d is dirty: it failed part way; repair the database, then force the version", current)))
	}
	for _, m := range expected {
		if m.version > current {
			msgs = append(msgs, notApplied(m))
		}
	}
	return msgs, nil
}

// gooseApplied reads goose's log: a version is applied when its latest
// row says so.
func gooseApplied(ctx context.Context, db *sql.DB, table string, expected []migration) ([]dockerflow.Message, error) {
	rows, err := db.QueryContext(ctx, "SELECT version_id, is_applied FROM "+table+" ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var (
			v  int64
			ok bool
		)
		if err := rows.Scan(&v, &ok); err != nil {
			return nil, err
		}
		applied[v] = ok
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var msgs []dockerflow.Message
	for _, m := range expected {
		if !applied[m.version] {
			msgs = append(msgs, notApplied(m))
		}
	}
	return msgs, nil
}
