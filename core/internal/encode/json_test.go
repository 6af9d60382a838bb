package encode

import (
	"bytes"
	"testing"
)

// Envelopes writes what Envelope writes, line after line, whatever
// changes between them: the kept parts are rebuilt when a name or the pid
// changes.
func TestEnvelopesKeepTheirParts(t *testing.T) {
	type env struct {
		ts                                int64
		typ, logger, hostname, envVersion string
		sev                               int
		cloud                             string
		pid                               int
	}
	lines := []env{
		{1, "request.summary", "svc", "h", "2.0", 6, "", 7},
		{2, "request.summary", "svc", "h", "2.0", 3, "ERROR", 7},
		{-3, "request.summary", "other\"", "h", "2.0", 6, "", 7},
		{4, "request.summary", "other\"", "h\n", "2.0", 6, "", 7},
		{5, "request.summary", "other\"", "h\n", "1.0", 6, "INFO", 7},
		{6, "app.log", "other\"", "h\n", "1.0", 6, "", 7},
		{7, "app.log", "other\"", "h\n", "1.0", 6, "", -8},
		{8, "request.summary", "svc", "h", "2.0", 6, "", 7},
	}
	var e Envelopes
	for i, l := range lines {
		want := Envelope(nil, l.ts, l.typ, l.logger, l.hostname, l.envVersion, l.sev, l.cloud, l.pid)
		if got := e.Append(nil, l.ts, l.typ, l.logger, l.hostname, l.envVersion, l.sev, l.cloud, l.pid); !bytes.Equal(got, want) {
			t.Errorf("line %d:\ngot  %s\nwant %s", i, got, want)
		}
	}
}
