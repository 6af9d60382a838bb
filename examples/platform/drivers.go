package platform

import (
	"context"
	"fmt"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"
)

// routeDriverLogs sends what the MySQL driver and go-redis log on their
// own ("[mysql] packets.go: unexpected EOF", "redis: connection pool: …")
// into the mozlog stream, at warning level and redacted, instead of plain
// lines on stderr. Both drivers keep their logger in a package variable:
// it is set once per process.
func routeDriverLogs(log *logrus.Logger) {
	_ = mysql.SetLogger(driverLogger{log.WithField(mozlog.TypeKey, "driver.mysql")})
	redis.SetLogger(driverLogger{log.WithField(mozlog.TypeKey, "driver.redis")})
}

// driverLogger is the Logger of both drivers.
type driverLogger struct{ e *logrus.Entry }

// Print implements mysql.Logger.
func (d driverLogger) Print(v ...any) { d.e.Warn(dockerflow.Redact(fmt.Sprint(v...))) }

// Printf implements go-redis's logger.
func (d driverLogger) Printf(ctx context.Context, format string, v ...any) {
	d.e.WithContext(ctx).Warn(dockerflow.Redact(fmt.Sprintf(format, v...)))
}
