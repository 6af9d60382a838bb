// Package sqlcheck holds Dockerflow health checks for SQL databases, on
// database/sql with any driver.
//
// They take the *sql.DB the service already has; they never open
// connections of their own from a DSN:
//
//	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
//	migrations, err := sqlcheck.Migrations(db, sqlcheck.MigrationsConfig{
//		Tool: sqlcheck.GolangMigrate,
//		FS:   must(fs.Sub(embeddedMigrations, "migrations")),
//	})
//	err = svc.Register(sqlcheck.Connected(db), migrations)
//
// Connected makes a real round trip (SELECT 1): E001 cannot connect to
// database, E002 database unusable, E003 database misconfigured (refused
// credentials, no such database). Migrations compares the migrations the
// service ships with those applied, for golang-migrate and goose: W001 for
// each unapplied (or dirty) migration, I001 when it cannot tell.
//
// # Dialects
//
// The checks run plain SQL (SELECT 1; SELECT version, dirty FROM
// schema_migrations; SELECT version_id, is_applied FROM goose_db_version)
// and classify errors by SQLSTATE and by the standard library's error
// types, so they work with any driver. They are tested on PostgreSQL 15
// (pgx), MariaDB 10.11 (go-sql-driver/mysql) and SQLite (modernc.org/sqlite),
// for both migration tools.
//
// No message holds a password or a DSN's credentials: driver errors are
// redacted (dockerflow.Redact).
//
// # Driver logs
//
// go-sql-driver/mysql prints its own lines ("[mysql] packets.go:
// unexpected EOF") to stderr, outside the service's mozlog stream. Route
// them into it with the driver's SetLogger, redacted:
//
//	type mysqlLog struct{ e *logrus.Entry }
//
//	func (m mysqlLog) Print(v ...any) { m.e.Warn(dockerflow.Redact(fmt.Sprint(v...))) }
//
//	mysql.SetLogger(mysqlLog{log.WithField(mozlog.TypeKey, "driver.mysql")})
package sqlcheck
