package platform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/redis/go-redis/v9"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// Config is the environment, parsed.
type Config struct {
	Addr     string // ":$PORT"
	Database string // the database/sql driver: "pgx", "mysql" or "sqlite"
	DSN      string // its data source name; "" for the embedded default
	Redis    *redis.Options
}

// MaxHeaderBytes is the request-header limit of the service's server.
const MaxHeaderBytes = 32 << 10

// LoadConfig reads PORT, DATABASE_URL and REDIS_URL through lookup (nil
// means os.LookupEnv). An invalid value is an error naming the variable;
// its credentials are never in the error.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	var c Config
	var errs []error
	var err error
	if c.Addr, err = dockerflow.ListenAddr(lookup, ""); err != nil {
		errs = append(errs, err)
	}
	if v, _ := lookup("DATABASE_URL"); v != "" {
		if c.Database, c.DSN, err = parseDatabaseURL(v); err != nil {
			errs = append(errs, &dockerflow.EnvError{Name: "DATABASE_URL", Value: v, Want: err.Error()})
		}
	}
	if v, _ := lookup("REDIS_URL"); v != "" {
		if c.Redis, err = redis.ParseURL(v); err != nil {
			errs = append(errs, &dockerflow.EnvError{Name: "REDIS_URL", Value: v,
				Want: "a URL such as redis://host:6379/0 (" + unquoted(err) + ")"})
		}
	}
	return c, errors.Join(errs...)
}

// unquoted is err's text without what it quotes: URL parsers quote the
// URL, or a piece of it that may be a piece of a password ("invalid port
// \":s3cr\" after host").
func unquoted(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	parts := strings.Split(err.Error(), `"`)
	for i := 1; i < len(parts); i += 2 {
		parts[i] = "…"
	}
	return strings.Join(parts, `"`)
}

// urlSecrets returns the secrets a URL holds: its password, and the values
// of password, token and secret query parameters.
func urlSecrets(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	var out []string
	if pw, ok := u.User.Password(); ok {
		out = append(out, pw, url.PathEscape(pw))
	}
	for k, vs := range u.Query() {
		if k = strings.ToLower(k); strings.Contains(k, "pass") || strings.Contains(k, "secret") || strings.Contains(k, "token") {
			out = append(out, vs...)
		}
	}
	return out
}

// parseDatabaseURL maps a URL to a driver and its DSN.
func parseDatabaseURL(v string) (driver, dsn string, err error) {
	u, err := url.Parse(v)
	if err != nil {
		return "", "", fmt.Errorf("a URL such as postgres://host:5432/db, mysql://host:3306/db or sqlite:/path (%s)", unquoted(err))
	}
	switch u.Scheme {
	case "postgres", "postgresql":
		if u.Host == "" {
			return "", "", errors.New("a host: postgres://user@host:5432/db")
		}
		return "pgx", v, nil
	case "mysql", "mariadb":
		if u.Host == "" {
			return "", "", errors.New("a host: mysql://user@host:3306/db")
		}
		cfg := mysql.NewConfig()
		cfg.Net, cfg.Addr, cfg.DBName = "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
		if u.Port() == "" {
			cfg.Addr += ":3306"
		}
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		cfg.ParseTime = true
		return "mysql", cfg.FormatDSN(), nil
	case "sqlite":
		path := strings.TrimPrefix(v, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", "", errors.New("a path: sqlite:/path/to/file.db")
		}
		return "sqlite", "file:" + path + "?_pragma=busy_timeout(5000)", nil
	}
	return "", "", fmt.Errorf("a scheme of postgres://, mysql:// or sqlite:, not %q", u.Scheme)
}

// Backends are the connections a service opens once and shares.
type Backends struct {
	DB      *sql.DB
	Dialect string // "pgx", "mysql" or "sqlite"
	Redis   *redis.Client
	// Embedded says which backends are the built-in stand-ins.
	Embedded []string
	closers  []func()
}

// Open connects to the configured backends, or starts the embedded ones,
// and applies the migrations.
func Open(ctx context.Context, c Config) (*Backends, error) {
	b := &Backends{Dialect: c.Database}
	dsn := c.DSN
	if dsn == "" {
		dir, err := os.MkdirTemp("", "dockerflow-example-")
		if err != nil {
			return nil, err
		}
		b.closers = append(b.closers, func() { os.RemoveAll(dir) })
		b.Dialect, dsn = "sqlite", "file:"+filepath.Join(dir, "example.db")+"?_pragma=busy_timeout(5000)"
		b.Embedded = append(b.Embedded, "SQLite at "+filepath.Join(dir, "example.db"))
	}
	db, err := sql.Open(b.Dialect, dsn)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("opening the database: %s", dockerflow.Redact(err.Error()))
	}
	if b.Dialect == "sqlite" {
		db.SetMaxOpenConns(1) // one writer; no "database is locked"
	}
	b.DB = db
	b.closers = append(b.closers, func() { db.Close() })

	opts := c.Redis
	if opts == nil {
		mr := miniredis.NewMiniRedis()
		if err := mr.Start(); err != nil {
			b.Close()
			return nil, fmt.Errorf("starting the embedded Redis: %w", err)
		}
		b.closers = append(b.closers, mr.Close)
		b.Embedded = append(b.Embedded, "an in-process Redis stand-in at "+mr.Addr())
		opts = &redis.Options{Addr: mr.Addr()}
	}
	opts.ContextTimeoutEnabled = true
	if opts.MaxRetries == 0 { // unless REDIS_URL says max_retries=…
		// go-redis's retries outlast the check's timeout and hide why Redis
		// is down ("connection refused"); the next probe is the retry.
		opts.MaxRetries = -1
	}
	if opts.DialerRetries == 0 {
		// Five dials 100 ms apart make every heartbeat half a second long
		// while Redis refuses connections.
		opts.DialerRetries = 1
	}
	b.Redis = redis.NewClient(opts)
	b.closers = append(b.closers, func() { b.Redis.Close() })

	mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := Migrate(mctx, b.DB, b.Dialect); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Close closes everything Open opened, last first.
func (b *Backends) Close() {
	for i := len(b.closers) - 1; i >= 0; i-- {
		b.closers[i]()
	}
	b.closers = nil
}
