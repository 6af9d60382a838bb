package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// maxLine bounds one log line: container runtimes split lines at 16 KiB,
// so anything much longer is no mozlog line.
const maxLine = 64 << 10

// logTail reads a service's log while the checker runs: a file, followed
// as it grows, or a stream (stdin). It keeps what the run needs, in
// memory bounded whatever arrives (issue 33: it kept every summary, and
// 20,000 hostile 16 KB lines took 428 MB): counts, the first bad lines'
// numbers and reasons, and the summaries of the requests this run sent
// (their request IDs start with the run's own prefix), two each at most.
type logTail struct {
	run  string // the run's request-ID prefix
	mu   sync.Mutex
	read logRead
	stop chan struct{}
	done chan struct{}
}

// logRead is what a logTail kept.
type logRead struct {
	lines, bad int
	firstBad   []string             // the first maxBadShown, "line N: why"
	summaries  map[string][]summary // by rid, the run's only, at most maxPerRID each
	extra      map[string]int       // by rid, summaries past maxPerRID
	err        error                // reading failed
}

// summary is what the checker reads of a request.summary.
type summary struct {
	method, path string
	code, t      any // json.Number when a number
}

const (
	maxBadShown = 3
	maxPerRID   = 2 // enough to tell one summary from several
	maxShown    = 256
)

// tail starts reading r, keeping the summaries whose rid starts with
// run. follow, for a file, waits for more at its end until stopped; a
// stream ends when it does.
func tail(r io.Reader, follow bool, run string) *logTail {
	t := &logTail{run: run, stop: make(chan struct{}), done: make(chan struct{}),
		read: logRead{summaries: map[string][]summary{}, extra: map[string]int{}}}
	go t.readLines(bufio.NewReaderSize(r, maxLine), follow)
	return t
}

func (t *logTail) readLines(br *bufio.Reader, follow bool) {
	defer close(t.done)
	var partial []byte
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case err == nil:
			n++
			t.add(n, capped(partial, chunk))
			partial = partial[:0]
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
				t.read.err = err
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

// add reads one line: the text is not kept, only what was found.
func (t *logTail) add(n int, line []byte) {
	var bad error
	var sum *summary
	rid := ""
	if len(line) > maxLine {
		bad = fmt.Errorf("over %d KiB", maxLine>>10)
	} else if bad = mozlog.Check(line); bad == nil {
		var e struct {
			Type, EnvVersion string
			Fields           struct {
				RID          any `json:"rid"`
				Method, Path any
				Code, T      any
			}
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		switch {
		case dec.Decode(&e) != nil:
		case e.EnvVersion != "2.0": // the version of the schema Dockerflow asks for
			bad = fmt.Errorf("EnvVersion %q, want 2.0", shown(e.EnvVersion))
		case e.Type == mozlog.TypeSummary:
			rid, _ = e.Fields.RID.(string)
			if t.ours(rid) {
				m, _ := e.Fields.Method.(string)
				p, _ := e.Fields.Path.(string)
				sum = &summary{method: shown(m), path: shown(p), code: e.Fields.Code, t: e.Fields.T}
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r := &t.read
	r.lines++
	if bad != nil {
		r.bad++
		if len(r.firstBad) < maxBadShown {
			r.firstBad = append(r.firstBad, fmt.Sprintf("line %d: %v", n, bad))
		}
	}
	if sum != nil {
		if len(r.summaries[rid]) < maxPerRID {
			r.summaries[rid] = append(r.summaries[rid], *sum)
		} else {
			r.extra[rid]++
		}
	}
}

// ours reports whether rid is one this run sends: its prefix and a number
// within the request budget.
func (t *logTail) ours(rid string) bool {
	n, ok := strings.CutPrefix(rid, t.run)
	if !ok || t.run == "" {
		return false
	}
	i, err := strconv.Atoi(n)
	return err == nil && i >= 1 && i <= maxRequests && strconv.Itoa(i) == n
}

// shown is s cut to what a report shows.
func shown(s string) string {
	if len(s) > maxShown {
		return s[:maxShown] + "…"
	}
	return s
}

// close stops following and returns what was read.
func (t *logTail) close() logRead {
	close(t.stop)
	select {
	case <-t.done:
	case <-time.After(100 * time.Millisecond): // a stream that has not ended: what it gave so far
	}
	return t.snapshot()
}

// snapshot returns what was read so far.
func (t *logTail) snapshot() logRead {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.read
	r.firstBad = append([]string(nil), r.firstBad...)
	r.summaries = make(map[string][]summary, len(t.read.summaries))
	for rid, s := range t.read.summaries {
		r.summaries[rid] = append([]summary(nil), s...)
	}
	r.extra = make(map[string]int, len(t.read.extra))
	for rid, n := range t.read.extra {
		r.extra[rid] = n
	}
	return r
}

// count is how many summaries rid has.
func (r logRead) count(rid string) int { return len(r.summaries[rid]) + r.extra[rid] }

// openLogs opens --logs: "-" is stdin, a stream; a file is followed.
func openLogs(path string, stdin io.Reader, run string) (*logTail, func(), error) {
	if path == "-" {
		return tail(stdin, false, run), func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--logs: %w", err)
	}
	return tail(f, true, run), func() { f.Close() }, nil
}

// waitSummaries waits until every request sent has a summary, or wait
// has passed: a service may log a summary after it answered.
func waitSummaries(t *logTail, reqs []sent, wait time.Duration) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		have := t.snapshot()
		all := true
		for _, r := range reqs {
			if have.count(r.rid) == 0 {
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
func (c *checker) logs(read logRead, reqs []sent) {
	switch {
	case read.err != nil:
		c.check(ruleLogsMozlog, fail, "mozlog lines", "reading the logs: "+read.err.Error())
	case read.lines == 0:
		c.check(ruleLogsMozlog, fail, "mozlog lines", "no lines")
	default:
		seen := fmt.Sprintf("%d lines, all mozlog", read.lines)
		if read.bad > 0 {
			seen = fmt.Sprintf("%d of %d lines are not: %s", read.bad, read.lines, strings.Join(read.firstBad, "; "))
		}
		c.check(ruleLogsMozlog, verdict(read.bad == 0), "mozlog lines", seen)
	}

	var wrong []string
	for _, r := range reqs {
		if n := read.count(r.rid); n != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %s (rid %s): %d summaries", r.method, r.path, r.rid, n))
			continue
		}
		f := read.summaries[r.rid][0]
		if f.method != r.method || f.path != r.path || !isInt(f.code, int64(r.code)) || !isInt(f.t, -1) {
			wrong = append(wrong, fmt.Sprintf("%s %s (rid %s, code %d): method %v, path %v, code %v, t %v",
				r.method, r.path, r.rid, r.code, f.method, f.path, f.code, f.t))
		}
	}
	// A request ID not echoed was accepted if its summary has it.
	for i, r := range c.rep.Results {
		if r.Rule == ruleRIDEcho && r.Verdict == warn && c.unechoed != "" && read.count(c.unechoed) == 1 {
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
