package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// maxLine bounds one log line: container runtimes split lines at 16 KiB,
// so anything much longer is no mozlog line.
const maxLine = 64 << 10

// logLine is one line of the service's log, as read.
type logLine struct {
	n   int   // its number, from 1
	err error // why it is no mozlog line; nil when it is one
	// For a request.summary:
	summary map[string]any
}

// logTail reads a service's log while the checker runs: a file, followed
// as it grows, or a stream (stdin).
type logTail struct {
	mu    sync.Mutex
	lines []logLine
	err   error // reading failed
	stop  chan struct{}
	done  chan struct{}
}

// tail starts reading r. follow, for a file, waits for more at its end
// until stopped; a stream ends when it does.
func tail(r io.Reader, follow bool) *logTail {
	t := &logTail{stop: make(chan struct{}), done: make(chan struct{})}
	go t.read(bufio.NewReaderSize(r, maxLine), follow)
	return t
}

func (t *logTail) read(br *bufio.Reader, follow bool) {
	defer close(t.done)
	var partial []byte
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case err == nil:
			n++
			t.add(n, capped(partial, chunk))
			partial = nil
		case errors.Is(err, bufio.ErrBufferFull), err == io.EOF && follow:
			partial = capped(partial, chunk)
			if err == io.EOF {
				select {
				case <-t.stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		default:
			if line := capped(partial, chunk); len(line) > 0 { // a last line without its newline
				n++
				t.add(n, line)
			}
			if err != io.EOF {
				t.mu.Lock()
				t.err = err
				t.mu.Unlock()
			}
			return
		}
	}
}

// capped appends chunk to line, keeping at most maxLine+1 bytes: enough
// to tell that a line is too long.
func capped(line, chunk []byte) []byte {
	room := maxLine + 1 - len(line)
	return append(line, chunk[:max(0, min(room, len(chunk)))]...)
}

func (t *logTail) add(n int, line []byte) {
	l := logLine{n: n} // the text is not kept: only what was found
	if len(line) > maxLine {
		l.err = fmt.Errorf("over %d KiB", maxLine>>10)
	} else if l.err = mozlog.Check(line); l.err == nil {
		var e struct {
			Type, EnvVersion string
			Fields           map[string]any
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		switch {
		case dec.Decode(&e) != nil:
		case e.EnvVersion != "2.0": // the version of the schema Dockerflow asks for
			l.err = fmt.Errorf("EnvVersion %q, want 2.0", e.EnvVersion)
		case e.Type == "request.summary":
			l.summary = e.Fields
		}
	}
	t.mu.Lock()
	t.lines = append(t.lines, l)
	t.mu.Unlock()
}

// close stops following and returns every line read.
func (t *logTail) close() ([]logLine, error) {
	close(t.stop)
	select {
	case <-t.done:
	case <-time.After(100 * time.Millisecond): // a stream that has not ended: what it gave so far
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]logLine(nil), t.lines...), t.err
}

// summaries returns the request.summary entries read so far, by rid.
func (t *logTail) summaries() map[string][]map[string]any {
	t.mu.Lock()
	defer t.mu.Unlock()
	return byRID(t.lines)
}

func byRID(lines []logLine) map[string][]map[string]any {
	m := map[string][]map[string]any{}
	for _, l := range lines {
		if l.summary != nil {
			rid, _ := l.summary["rid"].(string)
			m[rid] = append(m[rid], l.summary)
		}
	}
	return m
}

// openLogs opens --logs: "-" is stdin, a stream; a file is followed.
func openLogs(path string, stdin io.Reader) (*logTail, func(), error) {
	if path == "-" {
		return tail(stdin, false), func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--logs: %w", err)
	}
	return tail(f, true), func() { f.Close() }, nil
}

// waitSummaries waits until every request sent has a summary, or wait
// has passed: a service may log a summary after it answered.
func waitSummaries(t *logTail, reqs []sent, wait time.Duration) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		have := t.summaries()
		all := true
		for _, r := range reqs {
			if len(have[r.rid]) == 0 {
				all = false
				break
			}
		}
		if all {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// logs checks every line read and each request's summary.
func (c *checker) logs(lines []logLine, readErr error, reqs []sent) {
	var bad []string
	nBad := 0
	for _, l := range lines {
		if l.err != nil {
			nBad++
			if len(bad) < 3 {
				bad = append(bad, fmt.Sprintf("line %d: %v", l.n, l.err))
			}
		}
	}
	switch {
	case readErr != nil:
		c.check(ruleLogsMozlog, fail, "mozlog lines", "reading the logs: "+readErr.Error())
	case len(lines) == 0:
		c.check(ruleLogsMozlog, fail, "mozlog lines", "no lines")
	default:
		seen := fmt.Sprintf("%d lines, all mozlog", len(lines))
		if nBad > 0 {
			seen = fmt.Sprintf("%d of %d lines are not: %s", nBad, len(lines), strings.Join(bad, "; "))
		}
		c.check(ruleLogsMozlog, verdict(nBad == 0), "mozlog lines", seen)
	}

	have := byRID(lines)
	var wrong []string
	for _, r := range reqs {
		got := have[r.rid]
		if len(got) != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %s (rid %s): %d summaries", r.method, r.path, r.rid, len(got)))
			continue
		}
		f := got[0]
		if f["method"] != r.method || f["path"] != r.path || !isInt(f["code"], int64(r.code)) || !isInt(f["t"], -1) {
			wrong = append(wrong, fmt.Sprintf("%s %s (rid %s, code %d): method %v, path %v, code %v, t %v",
				r.method, r.path, r.rid, r.code, f["method"], f["path"], f["code"], f["t"]))
		}
	}
	// A request ID not echoed was accepted if its summary has it.
	for i, r := range c.rep.Results {
		if r.Rule == ruleRIDEcho && r.Verdict == warn && c.unechoed != "" && len(have[c.unechoed]) == 1 {
			c.rep.Results[i].Verdict, c.rep.Results[i].Seen = pass, "not echoed, but accepted: the summary has "+c.unechoed
		}
	}
	seen := fmt.Sprintf("one each for the %d requests", len(reqs))
	if len(wrong) > 0 {
		seen = fmt.Sprintf("%d of %d requests: %s", len(wrong), len(reqs), strings.Join(wrong[:min(len(wrong), 3)], "; "))
	}
	c.check(ruleLogsSummary, verdict(len(wrong) == 0 && len(reqs) > 0), "one request.summary per request", seen)
}

// isInt reports whether v is a JSON integer: want, or any one >= 0 when
// want is negative.
func isInt(v any, want int64) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	i, err := n.Int64()
	return err == nil && (i == want || (want < 0 && i >= 0))
}
