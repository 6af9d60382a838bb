package dockerflowsentry_test

import (
	"log"
	"os"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	dockerflowsentry "github.com/dockerflow-go/dockerflow/reporting/sentry"
	"github.com/getsentry/sentry-go"
)

// The service's panics and server errors reported to Sentry, through the
// client sentry.Init sets up. Enable /__error__ to check, once deployed,
// that an error reaches Sentry.
func Example() {
	if err := sentry.Init(sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")}); err != nil {
		log.Fatal(err)
	}
	cfg, err := dockerflow.ConfigFromEnv(nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg.Observers = append(cfg.Observers, dockerflowsentry.New(dockerflowsentry.Options{Environment: os.Getenv("SENTRY_ENVIRONMENT")}))
	svc, err := dockerflow.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	// ... serve svc with an adapter; flush before the process exits:
	defer sentry.Flush(2e9)
}
