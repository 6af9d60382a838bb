package platform

import (
	"context"
	"fmt"
	"sync"
	"time"

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
	_ = mysql.SetLogger(newDriverLogger(log.WithField(mozlog.TypeKey, "driver.mysql"), time.Now))
	redis.SetLogger(newDriverLogger(log.WithField(mozlog.TypeKey, "driver.redis"), time.Now))
}

// driverLogger is the Logger of both drivers. A driver logs on every
// failed dial, and the heartbeat dials every few seconds while a backend
// is down (go-redis: 14 lines in 79 s, beside the check's own 2): each
// kind of line (its format, or its first words) is logged at most once a
// minute, with how many like it were held back since.
type driverLogger struct {
	e     *logrus.Entry
	now   func() time.Time
	mu    sync.Mutex
	kinds map[string]*heldBack
}

// heldBack is what driverLogger knows of one kind of line.
type heldBack struct {
	logged time.Time // when one was last logged
	n      int       // how many were held back since
}

// driverLogInterval is how often one kind of line is logged at most;
// maxDriverLogKinds bounds the kinds remembered.
const (
	driverLogInterval = time.Minute
	maxDriverLogKinds = 64
)

func newDriverLogger(e *logrus.Entry, now func() time.Time) *driverLogger {
	return &driverLogger{e: e, now: now, kinds: map[string]*heldBack{}}
}

// Print implements mysql.Logger.
func (d *driverLogger) Print(v ...any) {
	msg := fmt.Sprint(v...)
	d.log(context.Background(), msg[:min(len(msg), 32)], msg)
}

// Printf implements go-redis's logger.
func (d *driverLogger) Printf(ctx context.Context, format string, v ...any) {
	d.log(ctx, format, fmt.Sprintf(format, v...))
}

// log logs msg, of the given kind, unless one of its kind was logged
// within the interval.
func (d *driverLogger) log(ctx context.Context, kind, msg string) {
	now := d.now()
	d.mu.Lock()
	h := d.kinds[kind]
	if h == nil {
		if len(d.kinds) >= maxDriverLogKinds {
			clear(d.kinds)
		}
		h = &heldBack{}
		d.kinds[kind] = h
	} else if now.Sub(h.logged) < driverLogInterval {
		h.n++
		d.mu.Unlock()
		return
	}
	held, since := h.n, now.Sub(h.logged)
	h.logged, h.n = now, 0
	d.mu.Unlock()
	if held > 0 {
		msg += fmt.Sprintf(" (and %d more like it in the last %v)", held, since.Round(time.Second))
	}
	d.e.WithContext(ctx).Warn(dockerflow.Redact(msg))
}
