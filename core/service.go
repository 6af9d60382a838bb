package dockerflow

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Service holds a service's Dockerflow setup: its checks, its version
// object, and how requests are summarised. The framework adapters serve
// its endpoints and middleware. A process may hold several.
type Service struct {
	cfg       Config
	log       Logger
	ridHeader string // canonical form of cfg.RequestIDHeader
	excluded  map[string]bool
	keys      *keyMatcher // the sensitive key names
	silenced  map[string]bool
	version   *versionSource
	hb        *runner
	closeOnce sync.Once

	inflightMu sync.Mutex
	inflight   Tracker // the ring of requests whose summary is not logged yet
}

// New returns a Service configured by cfg, its zero fields taking their
// defaults (see Config). It reads no environment (see ConfigFromEnv).
// Every invalid setting is reported in the error.
func New(cfg Config) (*Service, error) {
	if err := cfg.resolve(); err != nil {
		return nil, err
	}
	s := &Service{
		cfg:       cfg,
		log:       cfg.Logger,
		ridHeader: http.CanonicalHeaderKey(cfg.RequestIDHeader),
		excluded:  set(cfg.SummaryExcludePaths),
		silenced:  set(cfg.SilencedChecks),
		keys:      newKeyMatcher(cfg.SensitiveKeys),
	}
	s.version = &versionSource{source: cfg.VersionFile, load: cfg.VersionLoader, log: s.log}
	if s.version.load == nil {
		s.version.load = fileLoader(cfg.VersionFile)
	} else {
		s.version.source = "loader"
	}
	if cfg.VersionFromBuildInfo {
		bi, _ := debug.ReadBuildInfo()
		s.version.fallback = buildInfoVersion(bi)
	}
	s.hb = &runner{exec: s.execute, ttl: cfg.HeartbeatCacheTTL, background: cfg.HeartbeatInterval > 0}
	for _, w := range cfg.warnings {
		s.log.LogEvent(context.Background(), Event{Type: TypeConfig, Level: LevelWarning, Msg: w})
	}
	if cfg.HeartbeatInterval > 0 {
		s.hb.startLoop(cfg.HeartbeatInterval)
	}
	return s, nil
}

func set(items []string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// Config returns the configuration in force: the one given to New, with
// the environment and the defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// Register adds checks. Names must be unique within the service. It may be
// called at any time; a run of the checks already under way keeps the set
// it started with. It adds none of the checks if any is invalid.
func (s *Service) Register(checks ...Check) error {
	return s.hb.add(checks, s.cfg.CheckTimeout)
}

// Close stops the background heartbeat, if any, waits for runs of the
// checks under way to finish (each is bounded by its timeout), and logs
// the summary of every request still in flight, so that none is lost when
// a graceful shutdown gives up on slow requests: at error level, with
// code and errno 503 and the message "the service stopped before the
// request finished". Call it after the server's Shutdown returned.
func (s *Service) Close() error {
	s.closeOnce.Do(s.hb.close)
	s.inflightMu.Lock()
	var cut []*Tracker
	for t := s.inflight.next; t != nil && t != &s.inflight; t = t.next {
		cut = append(cut, t)
	}
	s.inflightMu.Unlock()
	for _, t := range cut {
		t.cutShort()
	}
	return nil
}

// Heartbeat returns a report of the checks: from the cache or the
// background loop when configured, else from a run it starts or joins
// (concurrent heartbeats share one run; the report of a run that every
// heartbeat gave up on answers the next one within a second). The error is ctx's, when ctx ends before a
// report is ready: the run goes on without it, on its checks' own
// timeouts, and its messages are logged all the same.
func (s *Service) Heartbeat(ctx context.Context) (*Report, error) {
	return s.hb.report(ctx)
}

// LastReport returns the report of the last completed run, and false
// before any run has completed.
func (s *Service) LastReport() (*Report, bool) { return s.hb.latest() }

// Version returns the version object's JSON. Its error matches
// ErrVersionNotFound (and fs.ErrNotExist) when there is none, and is a
// *VersionError when it cannot be served.
func (s *Service) Version(ctx context.Context) ([]byte, error) {
	return s.version.get(ctx)
}

// execute runs the checks concurrently and returns their report.
func (s *Service) execute(ctx context.Context, checks []*checkEntry) *Report {
	results := make([]CheckResult, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.runCheck(ctx, c)
		}()
	}
	wg.Wait()
	rep := newReport(results, time.Now())
	s.logMessages(ctx, rep)
	rep.body = rep.render(s.cfg.HeartbeatShowDetails)
	return rep
}

// maxGrace bounds how long a check that ran out of time is waited for,
// for its own answer, past its timeout.
const maxGrace = 250 * time.Millisecond

// States of one call of a check's function.
const (
	callRunning int32 = iota
	callReturned
	callAbandoned
)

// runCheck runs one check under its timeout. The check's function runs on
// its own goroutine, so that one ignoring its context cannot hold the
// heartbeat; a panic in it becomes a critical message.
func (s *Service) runCheck(ctx context.Context, c *checkEntry) CheckResult {
	start := time.Now()
	res := CheckResult{Name: c.Name}
	if c.stuck.Load() > 0 {
		res.Messages = []Message{Error(IDCheckStillRunning,
			"the check's previous run ignored its timeout and has not returned; not started again")}
	} else {
		cctx, cancel := context.WithTimeout(ctx, c.timeout)
		done := make(chan []Message, 1) // buffered: a late check never blocks
		var state atomic.Int32          // callRunning, callReturned or callAbandoned
		go func() {
			defer func() {
				if v := recover(); v != nil {
					done <- []Message{Critical(IDCheckPanicked, "check panicked: "+panicText(v))}
				}
				if !state.CompareAndSwap(callRunning, callReturned) {
					c.stuck.Add(-1)
				}
			}()
			done <- c.Func(cctx)
		}()
		select {
		case res.Messages = <-done:
		case <-cctx.Done():
			// A check that honours its context returns now, often with a
			// better message than ours ("cannot connect: i/o timeout"):
			// give it a moment. Its answer counts only if it says it failed:
			// past its deadline, "ok" proves nothing.
			reported := false
			grace := time.NewTimer(min(c.timeout/10, maxGrace))
			select {
			case res.Messages = <-done:
				reported = maxLevel(res.Messages) >= LevelError
			case <-grace.C:
			}
			grace.Stop()
			if !reported {
				res.Messages = []Message{Error(IDCheckTimedOut, "check timed out after "+c.timeout.String())}
				if state.CompareAndSwap(callRunning, callAbandoned) {
					c.stuck.Add(1)
				}
			}
		}
		cancel()
	}
	res.Duration = time.Since(start)
	res.settle(s.silenced, s.keys)
	return res
}

func maxLevel(msgs []Message) Level {
	l := LevelOK
	for _, m := range msgs {
		l = max(l, m.Level)
	}
	return l
}

// logMessages logs every message above ok at its own level.
func (s *Service) logMessages(ctx context.Context, rep *Report) {
	for _, c := range rep.Checks {
		for _, m := range c.Messages {
			if m.Level <= LevelOK {
				continue
			}
			s.log.LogEvent(ctx, Event{Type: TypeHeartbeat, Level: m.Level, Msg: m.Text, Attrs: []slog.Attr{
				slog.String("check", c.Name),
				slog.String("id", m.ID),
			}})
		}
	}
}

// Endpoint is one of the Dockerflow endpoints.
type Endpoint uint8

// The endpoints. EndpointNone is any other path.
const (
	EndpointNone Endpoint = iota
	EndpointVersion
	EndpointHeartbeat
	EndpointLBHeartbeat
	EndpointError
)

// Paths of the endpoints.
const (
	PathVersion     = "/__version__"
	PathHeartbeat   = "/__heartbeat__"
	PathLBHeartbeat = "/__lbheartbeat__"
	PathError       = "/__error__"
)

// Route is an endpoint and the path it is served at.
type Route struct {
	Path     string
	Endpoint Endpoint
}

// Routes returns the endpoints the service serves, for adapters that
// register routes: /__error__ only when it is enabled. Each is also served
// with a trailing slash.
func (s *Service) Routes() []Route {
	routes := []Route{
		{PathVersion, EndpointVersion},
		{PathHeartbeat, EndpointHeartbeat},
		{PathLBHeartbeat, EndpointLBHeartbeat},
	}
	if s.cfg.EnableErrorEndpoint {
		routes = append(routes, Route{PathError, EndpointError})
	}
	return routes
}

// Endpoint returns the endpoint that serves path, with or without a
// trailing slash; EndpointNone for other paths, and for /__error__ unless
// it is enabled.
func (s *Service) Endpoint(path string) Endpoint {
	if len(path) < len("/__error__") || path[1] != '_' {
		return EndpointNone
	}
	switch strings.TrimSuffix(path, "/") {
	case PathLBHeartbeat:
		return EndpointLBHeartbeat
	case PathHeartbeat:
		return EndpointHeartbeat
	case PathVersion:
		return EndpointVersion
	case PathError:
		if s.cfg.EnableErrorEndpoint {
			return EndpointError
		}
	}
	return EndpointNone
}

// ErrErrorEndpoint is the error /__error__ fails its request with.
var ErrErrorEndpoint = errors.New("the __error__ endpoint was called")

// Response is an endpoint's answer, written the same by every adapter.
type Response struct {
	Status      int
	ContentType string // "" for none
	Allow       string // "" for none
	Body        []byte
}

var (
	noStore = []string{"no-store"}

	lbResponse          = &Response{Status: http.StatusOK}
	notAllowedResponse  = textResponse(http.StatusMethodNotAllowed, "method not allowed", "GET, HEAD")
	versionNotFound     = textResponse(http.StatusNotFound, "version.json not found", "")
	heartbeatNoResponse = []byte(`{"status":"error"}`)
)

func textResponse(status int, text, allow string) *Response {
	return &Response{Status: status, ContentType: "text/plain; charset=utf-8", Allow: allow, Body: []byte(text)}
}

// Respond answers a request to an endpoint. For EndpointError it logs the
// call and returns ErrErrorEndpoint, which the adapter sends down the
// framework's error path. For EndpointNone it returns nil.
func (s *Service) Respond(ctx context.Context, ep Endpoint, method string) (*Response, error) {
	if ep == EndpointNone {
		return nil, nil
	}
	// The summary's route is the endpoint's path (under the router's
	// prefix, if any), without a trailing slash, on every adapter.
	if t, ok := ctx.Value(ctxKey{}).(*Tracker); ok {
		t.sum.Route = strings.TrimSuffix(t.sum.Path, "/")
		t.routeSet = true
	}
	if method != http.MethodGet && method != http.MethodHead {
		return notAllowedResponse, nil
	}
	switch ep {
	case EndpointLBHeartbeat:
		return lbResponse, nil
	case EndpointVersion:
		return s.respondVersion(ctx), nil
	case EndpointHeartbeat:
		return s.respondHeartbeat(ctx), nil
	}
	s.log.LogEvent(ctx, Event{Type: TypeError, Level: LevelError, Msg: "The __error__ endpoint was called"})
	return nil, ErrErrorEndpoint
}

func (s *Service) respondVersion(ctx context.Context) *Response {
	body, err := s.Version(ctx)
	var ve *VersionError
	switch {
	case err == nil:
		return &Response{Status: http.StatusOK, ContentType: "application/json", Body: body}
	case errors.As(err, &ve):
		return textResponse(http.StatusInternalServerError, ve.Reason, "")
	case errors.Is(err, fs.ErrNotExist):
		return versionNotFound
	}
	return textResponse(http.StatusServiceUnavailable, "request ended before version.json was loaded", "")
}

func (s *Service) respondHeartbeat(ctx context.Context) *Response {
	rep, err := s.Heartbeat(ctx)
	if err != nil {
		return &Response{Status: s.cfg.HeartbeatFailedStatusCode, ContentType: "application/json", Body: heartbeatNoResponse}
	}
	status := http.StatusOK
	if rep.Failed() {
		status = s.cfg.HeartbeatFailedStatusCode
		if s.cfg.HeartbeatFailed != nil {
			s.cfg.HeartbeatFailed(ctx, rep)
		}
	} else if s.cfg.HeartbeatPassed != nil {
		s.cfg.HeartbeatPassed(ctx, rep)
	}
	return &Response{Status: status, ContentType: "application/json", Body: rep.body}
}

// Write sends the response on w: status, headers (Cache-Control: no-store
// always; Content-Type, Content-Length and Allow as needed) and, unless
// method is HEAD, the body.
func (r *Response) Write(w http.ResponseWriter, method string) {
	h := w.Header()
	h["Cache-Control"] = noStore
	if r.ContentType != "" {
		h["Content-Type"] = []string{r.ContentType}
	}
	if r.Allow != "" {
		h["Allow"] = []string{r.Allow}
	}
	if len(r.Body) == 0 {
		if r.Status != http.StatusOK { // a bare 200 is what the server sends anyway
			w.WriteHeader(r.Status)
		}
		return
	}
	h["Content-Length"] = []string{strconv.Itoa(len(r.Body))}
	w.WriteHeader(r.Status)
	if method != http.MethodHead {
		_, _ = w.Write(r.Body)
	}
}
