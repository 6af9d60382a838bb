// Command nethttp is a small service on plain net/http that meets the
// Dockerflow contract: /__version__, /__heartbeat__, /__lbheartbeat__,
// a request.summary per request, configuration from the environment and
// $PORT, mozlog lines on stdout. It runs with no backend at all:
//
//	go run ./examples/nethttp
//	curl -i localhost:8000/__heartbeat__
//
// It stops gracefully on SIGTERM or SIGINT.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/logformat"
	"github.com/sirupsen/logrus"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	addr, err := dockerflow.ListenAddr(nil)
	if err != nil {
		return err
	}
	logger := logrus.New()
	logger.SetOutput(os.Stdout)
	logger.SetFormatter(&logformat.Formatter{Logger: "example-nethttp"})
	svc, err := dockerflow.New(dockerflow.Config{
		Logger:               logformat.NewLogger(logger),
		VersionFromBuildInfo: true, // until a version.json is deployed
	})
	if err != nil {
		return err
	}
	defer svc.Close()

	var hits atomic.Int64
	if err := svc.Register(dockerflow.Check{
		Name: "counter",
		Func: func(ctx context.Context) []dockerflow.Message {
			if hits.Load() > 1_000_000 {
				return []dockerflow.Message{dockerflow.Warning("example.W001", "counter is getting large")}
			}
			return nil
		},
	}); err != nil {
		return err
	}

	app := http.NewServeMux()
	app.HandleFunc("GET /hits", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"hits":%d}`+"\n", hits.Add(1))
	})

	srv := &http.Server{
		Addr:              addr,
		Handler:           dockerflowhttp.Recover(dockerflowhttp.Wrap(svc, app)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.WithField("addr", addr).Info("listening")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
