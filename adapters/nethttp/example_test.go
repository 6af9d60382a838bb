package dockerflowhttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

func ExampleWrap() {
	svc, err := dockerflow.New(dockerflow.Config{
		HeartbeatShowDetails: true,
		// mozlog on stdout is the default; name, host, pid and clock are
		// fixed here so that the output is reproducible.
		Logger: &dockerflow.MozlogLogger{Options: mozlog.Options{Logger: "myservice", Hostname: "web-1", Pid: 7,
			Now: func() time.Time { return time.Unix(1795514400, 0) }}},
	})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	_ = svc.Register(dockerflow.Check{Name: "cache", Func: func(ctx context.Context) []dockerflow.Message {
		return []dockerflow.Message{dockerflow.Warning("acme.W001", "cache is cold")}
	}})

	app := http.NewServeMux()
	app.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	handler := dockerflowhttp.Wrap(svc, app)
	// http.ListenAndServe(addr, handler) in a real service.

	req := httptest.NewRequest("GET", "/__heartbeat__", nil)
	req.Header.Set("X-Request-ID", "req-1")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body)
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"dockerflow.heartbeat","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":4,"Pid":7,"Fields":{"check":"cache","id":"acme.W001","msg":"cache is cold","rid":"req-1"}}
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/__heartbeat__","rid":"req-1","route":"/__heartbeat__","t":0,"uid":""}}
	// 200 {"status":"warning","checks":{"cache":"warning"},"details":{"cache":{"status":"warning","level":30,"messages":{"acme.W001":"cache is cold"}}}}
}

// A router that has no adapter (httprouter, a home-grown mux) names the
// route the summary logs with dockerflow.SetRoute, instead of the raw
// path, which here holds the IP address looked up.
func ExampleMiddleware_setRoute() {
	svc, err := dockerflow.New(dockerflow.Config{Logger: &dockerflow.MozlogLogger{Options: mozlog.Options{Logger: "iprep", Hostname: "web-1", Pid: 7,
		Now: func() time.Time { return time.Unix(1795514400, 0) }}}})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/type/", func(w http.ResponseWriter, r *http.Request) {
		dockerflow.SetRoute(r.Context(), "/type/{type}/{value}")
	})
	h := dockerflowhttp.Middleware(svc)(mux)
	req := httptest.NewRequest("GET", "/type/ip/10.0.0.1", nil)
	req.Header.Set("X-Request-ID", "req-1")
	h.ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"iprep","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/type/ip/10.0.0.1","rid":"req-1","route":"/type/{type}/{value}","t":0,"uid":""}}
}
