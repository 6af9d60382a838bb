package dockerflow_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// platformChecks is how a company shares one check set: a function in a
// shared package returns the checks, and every service registers them.
func platformChecks(pingDB func(context.Context) error) []dockerflow.Check {
	return []dockerflow.Check{
		{Name: "database", Func: dockerflow.CheckError("dockerflow.health.E001", pingDB)},
		{Name: "disk", Timeout: time.Second, Func: func(ctx context.Context) []dockerflow.Message {
			return []dockerflow.Message{dockerflow.Warning("acme.W001", "disk 91% full")}
		}},
	}
}

func Example() {
	svc, err := dockerflow.New(dockerflow.Config{
		HeartbeatCacheTTL: time.Second, // many pollers, one run a second
		// mozlog lines on stdout by default; here, the check's warning is
		// not shown (logformat writes through logrus or log/slog).
		Logger: &dockerflow.MozlogLogger{Out: io.Discard},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Close()

	err = svc.Register(platformChecks(func(ctx context.Context) error { return nil })...)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, _ := svc.Heartbeat(context.Background())
	fmt.Println("status:", rep.Level.String(), "failed:", rep.Level.Failed())
	for _, c := range rep.Checks {
		fmt.Println(c.Name, c.Level, c.Messages)
	}
	// Output:
	// status: warning failed: false
	// database ok []
	// disk warning [{acme.W001 warning disk 91% full}]
}

func ExampleCheckError() {
	down := dockerflow.CheckError("dockerflow.health.E001", func(ctx context.Context) error {
		return errors.New("cannot connect to database")
	})
	fmt.Println(down(context.Background()))
	// Output: [{dockerflow.health.E001 error cannot connect to database}]
}

func ExampleListenAddr() {
	addr, err := dockerflow.ListenAddr(dockerflowtest.Env(map[string]string{"PORT": "9000"}), "")
	fmt.Println(addr, err)
	addr, err = dockerflow.ListenAddr(dockerflowtest.Env(nil), "127.0.0.1:8080") // the service's own default
	fmt.Println(addr, err)
	_, err = dockerflow.ListenAddr(dockerflowtest.Env(map[string]string{"PORT": "http"}), "")
	fmt.Println(err)
	// Output:
	// :9000 <nil>
	// 127.0.0.1:8080 <nil>
	// invalid PORT="http": want a port number from 1 to 65535
}

// The environment is read once, into a Config that code then changes:
// what code sets wins. Every invalid variable is reported at once.
func ExampleConfigFromEnv() {
	env := dockerflowtest.Env(map[string]string{ // nil reads the process's environment
		"DOCKERFLOW_HEARTBEAT_SHOW_DETAILS": "true",
		"DOCKERFLOW_CHECK_TIMEOUT":          "2s",
	})
	cfg, err := dockerflow.ConfigFromEnv(env)
	if err != nil {
		panic(err)
	}
	cfg.HeartbeatShowDetails = false // a platform rule: never show details
	fmt.Println(cfg.CheckTimeout, cfg.HeartbeatShowDetails)

	_, err = dockerflow.ConfigFromEnv(dockerflowtest.Env(map[string]string{
		"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "ok",
		"DOCKERFLOW_HEARTBEAT_INTERVAL":           "1ns",
	}))
	fmt.Println(err)
	// Output:
	// 2s false
	// invalid DOCKERFLOW_HEARTBEAT_INTERVAL="1ns": want 0 (no background runs) or a duration from 100ms to 1h such as "10s"
	// invalid DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE="ok": want an HTTP status code from 400 to 599
}

// Run serves until SIGTERM (here, the end of its context), then drains for
// DrainDelay, lets the requests in flight finish and returns nil.
func ExampleService_Run() {
	svc, err := dockerflow.New(dockerflow.Config{
		DrainDelay: -1, // none here; 5s by default, DOCKERFLOW_DRAIN_DELAY
		Logger:     &dockerflow.MozlogLogger{Out: io.Discard},
	})
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: http.NotFoundHandler()}
	ctx, sigterm := context.WithCancel(context.Background())
	sigterm()
	fmt.Println(svc.Run(ctx, srv))
	// Output: <nil>
}

// A healthcheck subcommand, for Docker's HEALTHCHECK in an image with no
// shell: HEALTHCHECK CMD ["/app/service", "healthcheck"]. A service's main
// starts with
//
//	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
//		os.Exit(dockerflow.Healthcheck(os.Args[2:]))
//	}
//
// Here the service listens on $PORT in the same process.
func ExampleHealthcheck() {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	srv := httptest.NewServer(endpoints(svc, nil)) // the service, behind any adapter
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	old, had := os.LookupEnv("PORT")
	os.Setenv("PORT", port)
	defer func() {
		if had {
			os.Setenv("PORT", old)
		} else {
			os.Unsetenv("PORT")
		}
	}()

	fmt.Println(dockerflow.Healthcheck(nil), dockerflow.Healthcheck([]string{"heartbeat"}))
	// Output: 0 0
}

// An observer of one's own: here, a check whose level changes to failing,
// and a failed heartbeat, reach a pager. The metrics/prometheus,
// metrics/otel and reporting/sentry modules return observers the same
// way.
func ExampleObserver() {
	page := func(what string) { fmt.Println("page:", what) }
	svc, err := dockerflow.New(dockerflow.Config{
		Logger: &dockerflow.MozlogLogger{Out: io.Discard},
		Observers: []dockerflow.Observer{{
			CheckChanged: func(_ context.Context, from, to dockerflow.CheckResult) {
				if to.Level >= dockerflow.LevelError {
					page(to.Name + " " + to.Level.String())
				}
			},
			Heartbeat: func(_ context.Context, r *dockerflow.Report) {
				if r.Level.Failed() {
					page("heartbeat " + r.Level.String())
				}
			},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "queue", Func: func(context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Error("queue.E001", "broker unreachable")}
	}})
	_, _ = svc.Heartbeat(context.Background())
	// Output:
	// page: queue error
	// page: heartbeat error
}

// A handler adds what it learned to its request's summary: one line says
// what the request did (a "wide event"). The keys go through the same
// policy as the summary's own fields: "code" would shadow one, and is
// logged as "app.code"; "password" names a secret.
func ExampleAddFields() {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: os.Stdout,
		Options: mozlog.Options{Logger: "myservice", Hostname: "web-1", Pid: 7, Now: func() time.Time { return time.Unix(1795514400, 0) }}}})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	h := func(w http.ResponseWriter, r *http.Request) {
		dockerflow.AddFields(r.Context(), slog.String("plan", "pro"), slog.Int("rows", 42), slog.Int("code", 7),
			slog.String("password", "hunter2"))
	}
	req := httptest.NewRequest("GET", "/orders", nil)
	req.Header.Set("X-Request-ID", "req-1")
	req, t := svc.Adapter().Track(req, http.Header{}) // what an adapter's middleware does
	h(httptest.NewRecorder(), req)
	t.Done(200)
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","app.code":7,"code":200,"errno":0,"lang":"","method":"GET","password":"xxxxx","path":"/orders","plan":"pro","rid":"req-1","rows":42,"t":0,"uid":""}}
}

// Operators see the heartbeat's checks and details with a bearer token
// (DOCKERFLOW_HEARTBEAT_DETAILS_TOKEN in production); everyone else gets
// the plain body, with the same status: never a 401, a load balancer
// must not care.
func ExampleConfig_heartbeatDetailsToken() {
	svc, err := dockerflow.New(dockerflow.Config{
		HeartbeatDetailsToken: "s3cr3t-operators-token-0123", // from a secret store, not the code
		Logger:                &dockerflow.MozlogLogger{Out: io.Discard},
	})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "db", Func: func(context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Error("dockerflow.health.E001", "connection refused")}
	}})
	h := endpoints(svc, http.NotFoundHandler())
	for _, auth := range []string{"", "Bearer s3cr3t-operators-token-0123"} {
		req := httptest.NewRequest("GET", "/__heartbeat__", nil)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Vary"), rec.Body.String())
	}
	// Output:
	// 500 Authorization {"status":"error"}
	// 500 Authorization {"status":"error","checks":{"db":"error"},"details":{"db":{"status":"error","level":40,"messages":{"dockerflow.health.E001":"connection refused"}}}}
}

// A failure only the process can see (a pool exhausted for minutes, a
// deadlocked worker) asks to be restarted: /__lbheartbeat__, the liveness
// probe's path, answers 500 until Broken("") clears it, and the heartbeat
// says why. For a check whose failure a restart cures, Check.BreakAfter
// does it after the check has failed for that long.
func ExampleService_Broken() {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Out: io.Discard}, HeartbeatShowDetails: true})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	h := endpoints(svc, http.NotFoundHandler())
	get := func(path string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(strings.TrimSpace(fmt.Sprint(path, " ", rec.Code, " ", rec.Header().Get("Cache-Control"), " ", rec.Body.String())))
	}
	svc.Broken("worker pool deadlocked")
	get("/__lbheartbeat__")
	get("/__heartbeat__")
	svc.Broken("")
	get("/__lbheartbeat__")
	// Output:
	// /__lbheartbeat__ 500 no-store
	// /__heartbeat__ 500 no-store {"status":"error","checks":{"dockerflow":"error"},"details":{"dockerflow":{"status":"error","level":40,"messages":{"dockerflow.lifecycle.E003":"the service is broken: worker pool deadlocked"}}}}
	// /__lbheartbeat__ 200 no-store
}
