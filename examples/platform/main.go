package platform

import (
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
	"github.com/dockerflow-go/dockerflow/logformat"
	"github.com/sirupsen/logrus"
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

// DefaultShutdownTimeout bounds how long in-flight requests are waited
// for on SIGTERM or SIGINT, unless SHUTDOWN_TIMEOUT says otherwise.
const DefaultShutdownTimeout = 20 * time.Second

// Main runs a service named name: it reads the environment, opens the
// backends, registers the shared checks, serves handler(s) on $PORT with
// mozlog logs on stdout, and on SIGTERM or SIGINT lets in-flight requests
// finish. It returns the process's exit status: 0 after a clean shutdown,
// 1 when start-up fails (with one line on stderr saying why).
func Main(name string, handler func(s *Service) http.Handler) int {
	return MainWith(name, handler, nil)
}

// Server is a server a service runs beside its HTTP one, such as
// examples/grpc's gRPC server.
type Server interface {
	// Serve serves until Shutdown; an error ends the process.
	Serve() error
	// Shutdown stops it gracefully, within ctx: it runs on SIGTERM before
	// the HTTP server's.
	Shutdown(ctx context.Context) error
}

// MainWith is Main with a second server, which side builds once the
// backends are open (nil: none).
func MainWith(name string, handler func(s *Service) http.Handler, side func(s *Service) (Server, error)) int {
	if err := run(name, handler, side); err != nil {
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

func run(name string, handler func(s *Service) http.Handler, side func(s *Service) (Server, error)) error {
	if len(os.Args) > 1 && os.Args[1] != "serve" { // the image's CMD is "serve"
		return fmt.Errorf("unknown command %q: the only one is serve", os.Args[1])
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	// Every invalid variable at once: the platform's and dockerflow's.
	cfg, err := LoadConfig(nil)
	dfCfg, dfErr := dockerflow.ConfigFromEnv(nil)
	if err = errors.Join(err, dfErr); err != nil {
		return err
	}
	// DOCKERFLOW_LOG_FORMAT and DOCKERFLOW_LOG_CLOUD_SEVERITY reach the
	// formatter when dockerflow.New is called.
	log := logformat.New(os.Stdout, &logformat.Formatter{Logger: name})
	routeDriverLogs(log)
	dfCfg.Logger = logformat.NewLogger(log)
	dfCfg.VersionFromBuildInfo = true // until a version.json is deployed
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
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.WithField("addr", cfg.Addr).Info("listening")
	var sideSrv Server
	sidec := make(chan error, 1)
	if side != nil {
		if sideSrv, err = side(s); err != nil {
			_ = srv.Close()
			return err
		}
		go func() { sidec <- sideSrv.Serve() }()
	}
	if addr := os.Getenv("DEBUG_ADDR"); addr != "" {
		dbg := debugServer(addr)
		go func() { _ = dbg.ListenAndServe() }()
		defer dbg.Close()
		log.WithField("addr", addr).Info("debug figures at /debug/vars")
	}

	select {
	case err := <-errc:
		return err
	case err := <-sidec:
		_ = srv.Close()
		if err == nil {
			err = errors.New("it returned")
		}
		return fmt.Errorf("the second server stopped: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if sideSrv != nil {
		if err := sideSrv.Shutdown(sctx); err != nil {
			_ = srv.Close()
			_ = svc.Close()
			return fmt.Errorf("shutting down: calls still in flight after %v: %w", cfg.ShutdownTimeout, err)
		}
		if err := <-sidec; err != nil {
			return err
		}
	}
	if err := srv.Shutdown(sctx); err != nil {
		// Requests still running: cut their connections, and log their
		// summaries now (svc.Close), before the process exits.
		_ = srv.Close()
		_ = svc.Close()
		return fmt.Errorf("shutting down: requests still in flight after %v: %w", cfg.ShutdownTimeout, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
