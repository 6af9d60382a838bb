package encode

import (
	"testing"
	"time"
)

// Time agrees with time.Time's own formatting, across leap years,
// centuries, month ends and the epoch.
func TestAppendTime(t *testing.T) {
	check := func(ns int64) {
		t.Helper()
		want := time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000Z")
		if got := string(Time(nil, ns)); got != want {
			t.Fatalf("Time(%d) = %s, want %s", ns, got, want)
		}
	}
	check(0)
	for _, s := range []string{"2000-02-29T23:59:59.999Z", "2100-03-01T00:00:00.000Z", "1999-12-31T23:59:59.000Z",
		"2026-11-25T21:11:13.123Z", "2024-02-29T12:00:00.500Z", "2262-04-11T23:47:16.854Z"} {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		check(tm.UnixNano())
	}
	// Every day from 1970 to 2262, at a time of day that varies.
	for d := int64(0); d < 106_000; d++ {
		check(d*86400e9 + (d*7919%86400)*1e9 + d%1000*1e6)
	}
}
