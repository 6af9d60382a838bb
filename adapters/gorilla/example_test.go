package dockerflowgorilla_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	dockerflowgorilla "github.com/dockerflow-go/dockerflow/adapters/gorilla"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/gorilla/mux"
)

// The summary's route is gorilla's path template, not the raw path (which
// here holds the IP address looked up).
func Example() {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Options: mozlog.Options{Logger: "iprep", Hostname: "web-1", Pid: 7,
		Now: func() time.Time { return time.Unix(1795514400, 0) }}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	r := mux.NewRouter()
	r.Use(dockerflowgorilla.Recover(svc), dockerflowgorilla.Middleware(svc))
	dockerflowgorilla.Register(r, svc)
	r.HandleFunc("/type/{type}/{value}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, mux.Vars(r)["type"])
	}).Methods("GET")

	req := httptest.NewRequest("GET", "/type/ip/10.0.0.1", nil)
	req.Header.Set("X-Request-ID", "rid-1")
	r.ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"iprep","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/type/ip/10.0.0.1","rid":"rid-1","route":"/type/{type}/{value}","t":0,"uid":""}}
}
