package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
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
	run   string          // the run's request-ID prefix
	extra map[string]bool // other request IDs of the run (the invalid ones sent)
	mu    sync.Mutex
	read  logRead
	stop  chan struct{}
	done  chan struct{}
}

// logRead is what a logTail kept.
type logRead struct {
	lines, bad   int
	firstBad     []string // the first maxBadShown, "line N: why"
	offEnvelope  int      // lines that are mozlog, but not its exact envelope
	firstOff     []string
	summaries    map[string][]summary // by rid, the run's only, at most maxPerRID each
	extra        map[string]int       // by rid, summaries past maxPerRID
	ridLines     int                  // lines other than summaries that carry a rid of the run
	checkIDLines int                  // lines that carry a check message's ID
	tracebacks   int                  // lines with a traceback field
	err          error                // reading failed
}

// summary is what the checker reads of a request.summary.
type summary struct {
	method, path    string
	code, errno, t  any  // json.Number when a number
	traceback, fail bool // a traceback; an error or msg at error level
}

const (
	maxBadShown = 3
	maxPerRID   = 2 // enough to tell one summary from several
	maxShown    = 256
)

// tail starts reading r, keeping the summaries whose rid starts with
// run. follow, for a file, waits for more at its end until stopped; a
// stream ends when it does.
func tail(r io.Reader, follow bool, run string, extra ...string) *logTail {
	t := &logTail{run: run, extra: map[string]bool{}, stop: make(chan struct{}), done: make(chan struct{}),
		read: logRead{summaries: map[string][]summary{}, extra: map[string]int{}}}
	for _, rid := range extra {
		t.extra[rid] = true
	}
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

// entry is what the checker reads of a log line.
type entry struct {
	Type       string
	EnvVersion any
	Severity   any
	Fields     struct {
		RID              any `json:"rid"`
		Method, Path     any
		Code, Errno, T   any
		Traceback, Error any
		ID, Msg          any
	}
}

// checkIDRE is a check message's ID, python-dockerflow's form:
// "<namespace>.<letter><number>" (dockerflow.health.E001, acme.W001).
var checkIDRE = regexp.MustCompile(`\b[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.[CEWID][0-9]{3}\b`)

// add reads one line: the text is not kept, only what was found.
func (t *logTail) add(n int, line []byte) {
	var bad, off error
	var sum *summary
	var e entry
	rid := ""
	if len(line) > maxLine {
		bad = fmt.Errorf("over %d KiB", maxLine>>10)
	} else if bad = mozlogLine(line, &e); bad == nil {
		if err := mozlog.Check(line); err != nil {
			off = err
		} else if e.EnvVersion != "2.0" { // the version of the schema python-dockerflow writes
			off = fmt.Errorf("EnvVersion %v, want 2.0", e.EnvVersion)
		}
		rid, _ = e.Fields.RID.(string)
		if e.Type == mozlog.TypeSummary && t.ours(rid) {
			m, _ := e.Fields.Method.(string)
			p, _ := e.Fields.Path.(string)
			sum = &summary{method: shown(m), path: shown(p), code: e.Fields.Code, errno: e.Fields.Errno, t: e.Fields.T}
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
		return
	}
	if off != nil {
		r.offEnvelope++
		if len(r.firstOff) < maxBadShown {
			r.firstOff = append(r.firstOff, fmt.Sprintf("line %d: %v", n, off))
		}
	}
	if nonEmpty(e.Fields.Traceback) {
		r.tracebacks++
	}
	if id, _ := e.Fields.ID.(string); checkIDRE.MatchString(id) {
		r.checkIDLines++
	} else if msg, _ := e.Fields.Msg.(string); checkIDRE.MatchString(shown(msg)) {
		r.checkIDLines++
	}
	switch {
	case sum != nil:
		if len(r.summaries[rid]) < maxPerRID {
			r.summaries[rid] = append(r.summaries[rid], *sum)
		} else {
			r.extra[rid]++
		}
	case e.Type != mozlog.TypeSummary && t.ours(rid):
		r.ridLines++
	}
}

// mozlogLine reads line into e, and says what keeps it from being a
// mozlog line as the standard asks: a JSON object with an integer
// Timestamp (nanoseconds) and a Type; Logger, Hostname and EnvVersion
// strings, Severity an integer 0 to 7, Pid an integer and Fields an
// object, where present. Other keys are allowed (mozlogrus writes Time).
func mozlogLine(line []byte, e *entry) error {
	if !bytes.HasSuffix(line, []byte("\n")) {
		return errors.New("not a line ending in a newline")
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(line, &env); err != nil || env == nil {
		return errors.New("not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(e); err != nil {
		return fmt.Errorf("not mozlog: %v", err)
	}
	var ts json.Number
	if err := json.Unmarshal(env["Timestamp"], &ts); err != nil || !isInt(ts, -1) {
		return errors.New("no integer Timestamp")
	}
	if e.Type == "" {
		return errors.New("no Type")
	}
	for _, k := range []string{"Logger", "Hostname", "EnvVersion"} {
		if v, ok := env[k]; ok {
			var s string
			if json.Unmarshal(v, &s) != nil {
				return fmt.Errorf("%s is not a string", k)
			}
		}
	}
	if v, ok := env["Severity"]; ok {
		var n json.Number
		if json.Unmarshal(v, &n) != nil || !isInt(n, -1) || !isIntIn(n, 0, 7) {
			return errors.New("Severity is not an integer from 0 to 7")
		}
	}
	if v, ok := env["Pid"]; ok {
		var n json.Number
		if json.Unmarshal(v, &n) != nil || !isInt(n, -1) {
			return errors.New("Pid is not an integer")
		}
	}
	if v, ok := env["Fields"]; ok {
		var f map[string]json.RawMessage
		if json.Unmarshal(v, &f) != nil {
			return errors.New("Fields is not an object")
		}
	}
	return nil
}

func nonEmpty(v any) bool { s, _ := v.(string); return s != "" }

// isIntIn reports whether n is an integer from lo to hi.
func isIntIn(n json.Number, lo, hi int64) bool {
	i, err := n.Int64()
	return err == nil && i >= lo && i <= hi
}

// ours reports whether rid is one this run sends: its prefix and a number
// within the request budget.
func (t *logTail) ours(rid string) bool {
	if t.extra[rid] {
		return true
	}
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
func openLogs(path string, stdin io.Reader, run string, extra ...string) (*logTail, func(), error) {
	if path == "-" {
		return tail(stdin, false, run, extra...), func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--logs: %w", err)
	}
	return tail(f, true, run, extra...), func() { f.Close() }, nil
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

// logs checks every line read and each request's summary, and decides
// the rules that waited for the logs (request IDs not echoed, /__error__,
// --path).
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
		good := read.lines - read.bad
		seen = fmt.Sprintf("%d mozlog lines, each with the eight keys", good)
		if read.offEnvelope > 0 {
			seen = fmt.Sprintf("%d of %d mozlog lines are not: %s", read.offEnvelope, good, strings.Join(read.firstOff, "; "))
		}
		c.check(ruleLogsEnvelope, verdict(read.offEnvelope == 0), "Timestamp, Type, Logger, Hostname, EnvVersion 2.0, Severity, Pid, Fields", seen)
	}

	app := map[string]bool{}
	for _, r := range c.appRIDs {
		app[r.rid] = true // judged by logs.summary-routes
	}
	var wrong []string
	n := 0
	for _, r := range reqs {
		if app[r.rid] {
			continue
		}
		n++
		if n := read.count(r.rid); n != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %s (rid %s): %d summaries", r.method, r.path, r.rid, n))
			continue
		}
		f := read.summaries[r.rid][0]
		// python-dockerflow's Django and Flask log errno, its FastAPI code
		// (the status sent): one of them, each right where it is.
		status := f.errno != nil || f.code != nil
		if f.method != r.method || f.path != r.path || !isInt(f.t, -1) || !status ||
			f.errno != nil && !isInt(f.errno, -1) || f.code != nil && !isInt(f.code, int64(r.code)) {
			wrong = append(wrong, fmt.Sprintf("%s %s (rid %s, status %d): method %v, path %v, t %v, errno %v, code %v",
				r.method, r.path, r.rid, r.code, f.method, f.path, f.t, f.errno, f.code))
		}
	}
	seen := fmt.Sprintf("one each for the %d requests", n)
	if len(wrong) > 0 {
		seen = fmt.Sprintf("%d of %d requests: %s", len(wrong), n, strings.Join(wrong[:min(len(wrong), 3)], "; "))
	}
	c.check(ruleLogsSummary, verdict(len(wrong) == 0 && n > 0), "one request.summary per request: rid, method, path, t, errno or code", seen)

	c.logsDecide(read)
}

// logsDecide decides the rules that needed the logs.
func (c *checker) logsDecide(read logRead) {
	if rid := c.unechoed; rid != "" {
		if read.count(rid) == 1 {
			c.check(ruleRIDEcho, fail, "X-Request-ID echoed", "not echoed, but kept: its summary has it")
		} else {
			c.check(ruleRIDEcho, fail, "X-Request-ID echoed", "not echoed, and no summary has it")
		}
	}
	if len(c.invalid) > 0 {
		var kept []string
		for _, rid := range c.invalid {
			if read.count(rid) > 0 {
				kept = append(kept, fmt.Sprintf("%q logged as sent", shortID(rid)))
			}
		}
		c.check(ruleRIDInvalid, verdict(len(kept) == 0), "a 200-byte and a non-ASCII ID replaced", seenList(kept, "replaced: not echoed, not logged"))
	}
	if rid := c.errorRID; rid != "" {
		const want = "a 5xx, and a summary with errno (or code) 500"
		if sums := read.summaries[rid]; len(sums) == 0 {
			c.check(ruleErrorEndpoint, fail, want, "no summary has its rid "+rid)
		} else {
			s := sums[0]
			c.check(ruleErrorEndpoint, verdict(isInt(s.errno, 500) || s.errno == nil && isInt(s.code, 500)), want, fmt.Sprintf("summary errno %v, code %v", s.errno, s.code))
		}
		c.check(ruleErrorTrace, verdict(read.tracebacks > 0), "a traceback in the log", fmt.Sprintf("%d lines with a traceback", read.tracebacks))
	}
	if len(c.appRIDs) > 0 {
		var missing []string
		for _, r := range c.appRIDs {
			if n := read.count(r.rid); n != 1 {
				missing = append(missing, fmt.Sprintf("%s %s: %d summaries", r.method, r.path, n))
			}
		}
		c.check(ruleLogsSummaryApp, verdict(len(missing) == 0), "one request.summary for each --path", seenList(missing, fmt.Sprintf("one each for %d routes", len(c.appRIDs))))
	}
	switch {
	case read.ridLines > 0:
		c.check(ruleLogsRID, pass, "lines besides the summaries carry the request's rid", fmt.Sprintf("%d lines", read.ridLines))
	case c.errorRID != "":
		c.check(ruleLogsRID, fail, "lines besides the summaries carry the request's rid", "none, though /__error__ was called (python-dockerflow logs that call with its rid)")
	default:
		c.check(ruleLogsRID, warn, "lines besides the summaries carry the request's rid", "not exercised: no request logged anything but its summary")
	}
	switch {
	case !c.failing:
		c.check(ruleLogsCheckIDs, pass, "failing checks' messages logged with their IDs", "not exercised: every check passes")
	default:
		c.check(ruleLogsCheckIDs, verdict(read.checkIDLines > 0), "failing checks' messages logged with their IDs", fmt.Sprintf("%d lines with a check message's ID", read.checkIDLines))
	}
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

// shortID is a request ID cut for a report: an invalid one is 200 bytes.
func shortID(rid string) string {
	if len(rid) > 48 {
		return strings.ToValidUTF8(rid[:45], "") + "..."
	}
	return rid
}
