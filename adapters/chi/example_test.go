package dockerflowchi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/go-chi/chi/v5"
)

func Example() {
	svc, err := dockerflow.New(dockerflow.Config{
		// mozlog on stdout is the default; name, host, pid and clock are
		// fixed here so that the output is reproducible.
		Logger: &dockerflow.MozlogLogger{Options: mozlog.Options{Logger: "myservice", Hostname: "web-1", Pid: 7,
			Now: func() time.Time { return time.Unix(1795514400, 0) }}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer svc.Close()

	r := chi.NewRouter()
	r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
	dockerflowchi.Register(r, svc)
	r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "user %s\n", chi.URLParam(r, "id"))
	})
	// http.ListenAndServe(addr, r) in a real service.

	req := httptest.NewRequest("GET", "/users/42", nil)
	req.Header.Set("X-Request-ID", "req-1")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Print(rec.Code, " ", rec.Body)
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/users/42","rid":"req-1","route":"/users/{id}","t":0,"uid":""}}
	// 200 user 42
}
