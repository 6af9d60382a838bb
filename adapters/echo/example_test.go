package dockerflowecho_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	dockerflowecho "github.com/dockerflow-go/dockerflow/adapters/echo"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/labstack/echo/v4"
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

	e := echo.New()
	e.Use(dockerflowecho.Recover(svc), dockerflowecho.Middleware(svc))
	dockerflowecho.Register(e, svc)
	e.GET("/users/:id", func(c echo.Context) error {
		if c.Param("id") == "0" {
			return echo.NewHTTPError(http.StatusNotFound, "no such user")
		}
		return c.String(http.StatusOK, "user "+c.Param("id")+"\n")
	})
	// e.Start(addr) in a real service.

	for i, path := range []string{"/users/42", "/users/0"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Request-ID", fmt.Sprint("req-", i+1))
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body)
	}
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/users/42","rid":"req-1","route":"/users/:id","t":0,"uid":""}}
	// 200 user 42
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":404,"errno":404,"lang":"","method":"GET","path":"/users/0","rid":"req-2","route":"/users/:id","t":0,"uid":""}}
	// 404 {"message":"no such user"}
}
