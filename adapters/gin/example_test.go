package dockerflowgin_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	dockerflowgin "github.com/dockerflow-go/dockerflow/adapters/gin"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/gin-gonic/gin"
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

	gin.SetMode(gin.ReleaseMode) // in debug mode gin prints its routes on stdout
	r := gin.New()
	r.Use(dockerflowgin.Recovery(svc), dockerflowgin.Middleware(svc))
	dockerflowgin.Register(r, svc)
	r.GET("/users/:id", func(c *gin.Context) {
		if c.Param("id") == "0" {
			_ = c.AbortWithError(http.StatusServiceUnavailable, errors.New("user store unreachable"))
			return
		}
		c.String(http.StatusOK, "user %s\n", c.Param("id"))
	})
	// r.Run(addr) in a real service.

	for i, path := range []string{"/users/42", "/users/0"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Request-ID", fmt.Sprint("req-", i+1))
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Body)
	}
	// Output:
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"","code":200,"errno":0,"lang":"","method":"GET","path":"/users/42","rid":"req-1","route":"/users/:id","t":0,"uid":""}}
	// 200 user 42
	//
	// {"Timestamp":1795514400000000000,"Type":"request.summary","Logger":"myservice","Hostname":"web-1","EnvVersion":"2.0","Severity":3,"Pid":7,"Fields":{"agent":"","code":503,"errno":503,"error":"user store unreachable","lang":"","method":"GET","msg":"user store unreachable","path":"/users/0","rid":"req-2","route":"/users/:id","t":0,"uid":""}}
	// 503
}
