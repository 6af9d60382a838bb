package dockerflowhttp_test

import (
	"context"
	"log"
	"net/http"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// A whole service on net/http: the README's quickstart and core's package
// documentation show this same program (a test holds them alike). Run
// serves until SIGTERM, so this example is compiled, not run.
func Example_quickstart() {
	cfg, err := dockerflow.ConfigFromEnv(nil) // every invalid DOCKERFLOW_* variable, each named
	if err != nil {
		log.Fatal(err)
	}
	svc, err := dockerflow.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	err = svc.Register(dockerflow.Check{Name: "disk", Func: func(ctx context.Context) []dockerflow.Message {
		return nil // no messages: ok
	}})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello " + dockerflow.RequestID(r.Context()) + "\n"))
	})
	addr, err := dockerflow.ListenAddr(nil, "") // ":$PORT", ":8000" when unset
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: addr, Handler: dockerflowhttp.Wrap(svc, mux)}
	// Serves until SIGTERM, then drains, lets the requests in flight
	// finish, and returns nil.
	if err := svc.Run(context.Background(), srv); err != nil {
		log.Fatal(err)
	}
}
