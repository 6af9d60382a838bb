package platform

import (
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
	"github.com/dockerflow-go/dockerflow/logformat"
)

// Service is what an example builds its handler from.
type Service struct {
	Dockerflow *dockerflow.Service
	Store      *Store
	Log        *logrus.Logger
	// Web is the status page (Home, at /) and its static files (Static,
	// under web.Prefix).
	Web *web.Site
}

// Main runs a service named name: it reads the environment, opens the
// backends, registers the shared checks, and serves handler(s) on $PORT
// with mozlog logs on stdout through dockerflow's Service.Run, which on
// SIGTERM drains, then lets in-flight requests finish. "healthcheck" as
// the first argument is dockerflow.Healthcheck instead, for the image's
// HEALTHCHECK. It returns the process's exit status: 0 after a clean
// shutdown, 1 when start-up fails (with one line on stderr saying why).
func Main(name string, handler func(s *Service) http.Handler) int {
	return MainWith(name, handler, nil)
}

// MainWith is Main with a second server, which side builds once the
// backends are open (nil: none), such as examples/grpc's gRPC server.
func MainWith(name string, handler func(s *Service) http.Handler, side func(s *Service) (dockerflow.Server, error)) int {
	return Run(name, handler, Options{Side: side})
}

// Options are what an example changes of Main's defaults; the zero value
// is Main.
type Options struct {
	// Side builds a second server once the backends are open, such as
	// examples/grpc's gRPC server; nil for none.
	Side func(s *Service) (dockerflow.Server, error)
	// Logger makes the dockerflow.Logger that the summaries and
	// dockerflow's events go through, from the environment's log options
	// (mozlog.OptionsFromEnv, with the service's name as Logger): a zap
	// or zerolog logger (examples/echo, examples/gin). nil: logrus,
	// through logformat, as the platform's own lines.
	Logger func(opts *mozlog.Options) dockerflow.Logger
}

// Run is Main with options.
func Run(name string, handler func(s *Service) http.Handler, o Options) int {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		return dockerflow.Healthcheck(os.Args[2:])
	}
	if err := run(name, handler, o); err != nil {
		// Drivers quote their DSN in errors (pgx's "cannot parse `…`"):
		// whatever failed, the configured secrets are not printed.
		var secrets []string
		for _, name := range []string{"DATABASE_URL", "REDIS_URL"} {
			secrets = append(secrets, urlSecrets(os.Getenv(name))...)
		}
		fmt.Fprintln(os.Stderr, "error:", dockerflow.Redact(err.Error(), secrets...))
		return 1
	}
	return 0
}

func run(name string, handler func(s *Service) http.Handler, o Options) error {
	if len(os.Args) > 1 && os.Args[1] != "serve" { // the image's CMD is "serve"
		return fmt.Errorf("unknown command %q: the commands are serve and healthcheck", os.Args[1])
	}
	ctx := context.Background()

	// Every invalid variable at once: the platform's and dockerflow's.
	cfg, err := LoadConfig(nil)
	dfCfg, dfErr := dockerflow.ConfigFromEnv(nil)
	if err = errors.Join(err, dfErr); err != nil {
		return err
	}
	// DOCKERFLOW_LOG_FORMAT and DOCKERFLOW_LOG_CLOUD_SEVERITY are the
	// formatter's options (ConfigFromEnv has checked them).
	logOpts, err := mozlog.OptionsFromEnv(nil)
	if err != nil {
		return err
	}
	logOpts.Logger = name
	format := logformat.Formatter(logOpts)
	log := logformat.New(os.Stdout, &format)
	routeDriverLogs(log)
	dfCfg.Logger = logformat.NewLogger(log)
	if o.Logger != nil {
		dfCfg.Logger = o.Logger(&logOpts)
	}
	metrics := prometheus.NewRegistry()
	flush, err := observe(&dfCfg, metrics)
	if err != nil {
		return err
	}
	defer flush()
	svc, err := dockerflow.New(dfCfg)
	if err != nil {
		return err
	}
	defer svc.Close()

	backends, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer backends.Close()
	if len(backends.Embedded) > 0 {
		log.WithField("embedded", backends.Embedded).Warn("running on embedded defaults: " +
			strings.Join(backends.Embedded, " and ") + "; set DATABASE_URL and REDIS_URL for real ones")
	} else {
		log.WithField("database", backends.Dialect).Info("using DATABASE_URL and REDIS_URL")
	}
	checks, err := Checks(backends)
	if err != nil {
		return err
	}
	if err := svc.Register(checks...); err != nil {
		return err
	}

	site, err := web.New(name)
	if err != nil {
		return err
	}

	s := &Service{Dockerflow: svc, Store: &Store{b: backends}, Log: log, Web: site}
	srv := &http.Server{
		Addr:    cfg.Addr,
		Handler: handler(s),
		// A client that trickles its headers or body, or keeps a
		// connection idle, does not hold it forever.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Longer than the load balancers' own keep-alive (GCP's 600 s,
		// AWS ALB's 60 s): a backend that closes an idle connection first
		// makes the balancer answer 502.
		IdleTimeout: 620 * time.Second,
		// Request IDs, traceparent, cookies and the usual headers fit in
		// 32 KiB (nginx's default large_client_header_buffers); net/http's
		// 1 MiB lets every request carry a megabyte to parse.
		MaxHeaderBytes: MaxHeaderBytes,
		ErrorLog:       stdlog.New(log.WriterLevel(logrus.WarnLevel), "", 0),
	}
	servers := []dockerflow.Server{srv}
	if o.Side != nil {
		sideSrv, err := o.Side(s)
		if err != nil {
			return err
		}
		servers = append(servers, sideSrv)
	}
	if addr := os.Getenv("DEBUG_ADDR"); addr != "" {
		dbg := debugServer(addr, metrics)
		go func() { _ = dbg.ListenAndServe() }()
		defer dbg.Close()
		log.WithField("addr", addr).Info("debug figures at /debug/vars")
	}
	log.WithField("addr", cfg.Addr).Info("listening")
	// On SIGTERM: drain (DOCKERFLOW_DRAIN_DELAY), stop accepting, wait
	// for the requests in flight (DOCKERFLOW_SHUTDOWN_TIMEOUT), log the
	// summaries of any left, and return nil.
	return svc.Run(ctx, servers...)
}
