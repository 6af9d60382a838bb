package platform

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// A driver's line repeated on every failed probe is logged once a minute,
// saying how many were held back (issue 33: go-redis's line, routed to the
// log as the README showed, repeated 14 times in 79 s).
func TestDriverLogsOnceAMinute(t *testing.T) {
	var out bytes.Buffer
	log := logrus.New()
	log.SetOutput(&out)
	now := time.Unix(1796640000, 0)
	d := newDriverLogger(logrus.NewEntry(log), func() time.Time { return now })
	for i := 0; i < 79; i++ { // a probe a second, Redis down
		d.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v", 1, "dial tcp 10.0.0.7:6379: connect: connection refused")
		now = now.Add(time.Second)
	}
	d.Print("[mysql] packets.go:37: unexpected EOF")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines for 79 failed dials and a mysql line, want 3:\n%s", len(lines), out.String())
	}
	if !strings.Contains(lines[1], "(and 59 more like it in the last 1m0s)") || !strings.Contains(lines[2], "unexpected EOF") {
		t.Errorf("lines:\n%s", out.String())
	}
}
