package dockerflow

import (
	"context"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Service holds a service's Dockerflow setup: its checks, its version
// object, and how requests are summarised. The framework adapters serve
// its endpoints and middleware. A process may hold several.
type Service struct {
	cfg       Config
	log       Logger
	ridHeader string // canonical form of cfg.RequestIDHeader
	excluded  map[string]bool
	keys      *redact.Keys  // the sensitive key names
	addedKeys addedKeyCache // what addedKey found of the keys seen last
	opt       optIns        // the opt-in summary fields (Config.SummaryFields)
	silenced  map[string]bool
	details   detailsPolicy // who sees the heartbeat's details
	// keepOnError are the response headers a recovered 500 keeps.
	keepOnError map[string]bool
	version     *versionSource
	hb          *runner
	closeOnce   sync.Once
	life        *lifecycle
	states      checkStates      // each check's state between runs
	now         func() time.Time // the clock of check states; tests replace it
	obs         observers

	inflightMu sync.Mutex
	inflight   Tracker      // the ring of requests whose summary is not logged yet
	cutCount   atomic.Int64 // requests marked cut short (markCut)
}

// New returns a Service configured by cfg, its zero fields taking their
// defaults (see Config). It reads no environment (see ConfigFromEnv).
// Every invalid setting is reported in the error.
func New(cfg Config) (*Service, error) {
	if err := cfg.resolve(); err != nil {
		return nil, err
	}
	keep, err := keptOnError(cfg.RequestIDHeader, cfg.KeepHeadersOnPanic)
	if err != nil {
		return nil, err
	}
	s := &Service{
		cfg:       cfg,
		log:       cfg.Logger,
		ridHeader: http.CanonicalHeaderKey(cfg.RequestIDHeader),
		excluded:  excludedPaths(cfg.SummaryExcludePaths),
		silenced:  set(cfg.SilencedChecks),
		details:   newDetailsPolicy(&cfg),
		keys:      redact.NewKeys(cfg.SensitiveKeys),

		keepOnError: keep,
		life:        newLifecycle(cfg.WaitForReady),
		now:         time.Now,
		obs:         newObservers(cfg.Observers),
	}
	s.opt, _ = parseSummaryFields(cfg.SummaryFields)            // resolve checked them
	s.inflight.next, s.inflight.prev = &s.inflight, &s.inflight // an empty ring
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
	s.hb = &runner{exec: s.execute, ttl: cfg.HeartbeatCacheTTL, reuse: reuseWindow, background: cfg.HeartbeatInterval > 0}
	for _, w := range cfg.warnings {
		s.log.LogEvent(context.Background(), Event{Type: mozlog.TypeConfig, Level: LevelWarning, Msg: w})
	}
	if cfg.HeartbeatInterval > 0 {
		s.hb.startLoop(cfg.HeartbeatInterval)
	}
	return s, nil
}

// excludedPaths is the set of paths whose summaries are not logged, as
// they are spelled on the wire (percent-encoded, as the summary's path is)
// and without a trailing slash: "/__lbheartbeat__" and "/__lbheartbeat__/"
// are one, "/%5F_lbheartbeat__" (not the endpoint) another.
func excludedPaths(paths []string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		if u, err := url.ParseRequestURI(p); err == nil && u.RawQuery == "" && u.Host == "" {
			p = u.EscapedPath()
		}
		if p != "/" {
			p = strings.TrimSuffix(p, "/")
		}
		m[p] = true
	}
	return m
}

func set(items []string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

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
	s.stop()
	s.closeOnce.Do(s.hb.close)
	s.inflightMu.Lock()
	var cut []*Tracker
	for t := s.inflight.next; t != &s.inflight; t = t.next {
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
// heartbeat gave up on answers the next one within a second). The error
// is ctx's, when ctx ends before a report is ready: the run goes on
// without it, on its checks' own timeouts, and its messages are logged
// all the same.
//
// Every heartbeat goes through here, HTTP, gRPC or a direct call alike:
// the observers' Heartbeat (python-dockerflow's heartbeat_passed and
// heartbeat_failed: Report.Level.Failed() tells which) is told of each.
func (s *Service) Heartbeat(ctx context.Context) (*Report, error) {
	rep, err := s.hb.report(ctx)
	if err != nil {
		return nil, err
	}
	rep = s.withState(rep)
	if len(s.obs.heartbeats) > 0 {
		s.observeHeartbeat(ctx, rep)
	}
	return rep, nil
}

// Version returns the version object's JSON. Its error matches
// fs.ErrNotExist when there is none; any other
// error says why the object cannot be served (malformed, too large,
// unreadable), or is ctx's when it ended before the object was loaded.
func (s *Service) Version(ctx context.Context) ([]byte, error) {
	return s.version.get(ctx)
}
