package platform

import (
	"errors"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/prometheus/client_golang/prometheus"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	dockerflowprometheus "github.com/dockerflow-go/dockerflow/metrics/prometheus"
	dockerflowsentry "github.com/dockerflow-go/dockerflow/reporting/sentry"
)

// observe adds the service's observers to cfg: Prometheus metrics on
// reg (served on DEBUG_ADDR's /metrics), and, when SENTRY_DSN is set,
// Sentry reporting with SENTRY_ENVIRONMENT. The function it returns
// flushes what Sentry has not sent yet, before the process exits.
func observe(cfg *dockerflow.Config, reg *prometheus.Registry) (flush func(), err error) {
	metrics, err := dockerflowprometheus.New(reg, dockerflowprometheus.Options{Requests: true})
	if err != nil {
		return nil, err
	}
	cfg.Observers = append(cfg.Observers, metrics)
	dsn := os.Getenv("SENTRY_DSN")
	if dsn == "" {
		return func() {}, nil
	}
	if err := sentry.Init(sentry.ClientOptions{Dsn: dsn}); err != nil {
		// Not err's text: it may quote the DSN, whose key is a secret.
		return nil, errors.New("SENTRY_DSN is not a Sentry DSN (https://PUBLIC_KEY@HOST/PROJECT_ID)")
	}
	cfg.Observers = append(cfg.Observers, dockerflowsentry.New(dockerflowsentry.Options{Environment: os.Getenv("SENTRY_ENVIRONMENT")}))
	return func() { sentry.Flush(2 * time.Second) }, nil
}
