package dockerflowsentry_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
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

// printer is a Sentry transport that prints the events instead of
// sending them.
type printer struct{ *transport }

func (printer) SendEvent(e *sentry.Event) {
	fmt.Println(e.Level, e.Transaction, e.Exception[0].Type, e.Exception[0].Value, e.Tags["rid"], e.Release)
}

// What Sentry receives of a panicking handler: the route as transaction,
// the panic's type and redacted text, the request ID, and the release.
func ExampleNew() {
	client, _ := sentry.NewClient(sentry.ClientOptions{Dsn: "https://public@sentry.example/1", Transport: printer{&transport{}}})
	reporter := dockerflowsentry.New(dockerflowsentry.Options{Hub: sentry.NewHub(client, sentry.NewScope()), Release: "v1.4.2"})
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}, Observers: []dockerflow.Observer{reporter}})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders/{id}", func(http.ResponseWriter, *http.Request) {
		panic(fmt.Errorf("charging card: token=tok_4242 declined"))
	})
	req := httptest.NewRequest("POST", "/orders/7", nil)
	req.Header.Set("X-Request-ID", "req-1")
	dockerflowhttp.Wrap(svc, mux).ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// error /orders/{id} *errors.errorString charging card: token=xxxxx declined req-1 v1.4.2
}
