package sqlcheck

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"syscall"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Connected returns a check named "database" that makes a real round trip
// to the database through db: SELECT 1 (PingContext may answer from a
// pooled connection without asking the server). Its messages:
//
//   - dockerflow.health.E001 when the database cannot be reached (refused,
//     timed out, connection lost);
//   - dockerflow.health.E003 when it refuses the credentials or the
//     database does not exist: the service is misconfigured;
//   - dockerflow.health.E002 when it is reached but SELECT 1 fails.
//
// db is the *sql.DB the service already has; the check opens nothing of
// its own. No message holds a password or a DSN's credentials.
func Connected(db *sql.DB) dockerflow.Check {
	return dockerflow.Check{Name: "database", Func: func(ctx context.Context) []dockerflow.Message {
		if db == nil {
			return []dockerflow.Message{dockerflow.Error(IDMisconfigured, "no database: the *sql.DB is nil")}
		}
		var one int
		err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
		switch {
		case err != nil:
			return []dockerflow.Message{connError(err)}
		case one != 1:
			return []dockerflow.Message{dockerflow.Error(IDUnusable,
				fmt.Sprintf("database is unusable: SELECT 1 returned %d", one))}
		}
		return nil
	}}
}

// connError turns an error from the database into its message.
func connError(err error) dockerflow.Message {
	switch classify(err) {
	case cannotConnect:
		return dockerflow.Error(IDCannotConnect, "cannot connect to database: "+redact(err))
	case misconfigured:
		return dockerflow.Error(IDMisconfigured, "database is misconfigured: "+redact(err))
	}
	return dockerflow.Error(IDUnusable, "database is unusable: "+redact(err))
}

func redact(err error) string { return dockerflow.Redact(err.Error()) }

type class int

const (
	unusable class = iota
	cannotConnect
	misconfigured
)

// sqlState finds an SQLSTATE in an error: from a SQLState method (pgx,
// lib/pq), else from the text ("SQLSTATE 28P01", MySQL's "(28000)").
var sqlStateRE = regexp.MustCompile(`SQLSTATE ([0-9A-Z]{5})|^Error \d+ \(([0-9A-Z]{5})\)`)

func sqlState(err error) string {
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		return st.SQLState()
	}
	if m := sqlStateRE.FindStringSubmatch(err.Error()); m != nil {
		return m[1] + m[2]
	}
	return ""
}

// classify sorts an error by what it says about the database, without
// importing any driver.
func classify(err error) class {
	state := sqlState(err)
	msg := err.Error()
	switch {
	// Invalid authorization (28…), unknown database (3D000, MySQL 1049),
	// access denied to a database (MySQL 1044).
	case strings.HasPrefix(state, "28") || state == "3D000" ||
		strings.HasPrefix(msg, "Error 1049 ") || strings.HasPrefix(msg, "Error 1044 ") || strings.HasPrefix(msg, "Error 1698 "):
		return misconfigured
	// Connection exceptions (08…), server shutting down or starting (57P0…).
	case strings.HasPrefix(state, "08") || strings.HasPrefix(state, "57P0"):
		return cannotConnect
	}
	var nerr net.Error
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) || errors.As(err, &nerr) {
		return cannotConnect
	}
	for _, s := range []string{"connection refused", "no such host", "i/o timeout", "broken pipe", "connection reset",
		"failed to connect", "bad connection", "timeout", "server closed"} {
		if strings.Contains(msg, s) {
			return cannotConnect
		}
	}
	if strings.Contains(msg, "password authentication failed") || strings.Contains(msg, "Access denied") {
		return misconfigured
	}
	return unusable
}
