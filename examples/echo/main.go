// Command echo is the example service on echo v4: the same contract and
// business as examples/nethttp, with echo's routing and error handling,
// and its summaries and dockerflow's events logged through zap
// (logformat/zap).
//
//	go run ./examples/echo
package main

import (
	"net/http"
	"os"

	dockerflowecho "github.com/dockerflow-go/dockerflow/adapters/echo"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/dockerflow-go/dockerflow/examples/platform"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
	mozlogzap "github.com/dockerflow-go/dockerflow/logformat/zap"
	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func main() {
	os.Exit(platform.Run("example-echo", handler, platform.Options{Logger: func(opts *mozlog.Options) dockerflow.Logger {
		return mozlogzap.NewLogger(zap.New(mozlogzap.NewCore(os.Stdout, opts, zapcore.InfoLevel)))
	}}))
}

func handler(s *platform.Service) http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// Recover turns a panic into a 500 through the HTTPErrorHandler and
	// prints nothing: the middleware logs the stack in the request's
	// mozlog summary.
	e.Use(dockerflowecho.Recover(s.Dockerflow), dockerflowecho.Middleware(s.Dockerflow))
	dockerflowecho.Register(e, s.Dockerflow)
	e.GET("/", echo.WrapHandler(s.Web.Home()))
	e.Match([]string{http.MethodGet, http.MethodHead}, web.Prefix+"*", echo.WrapHandler(s.Web.Static()))
	e.GET("/notes/:name", func(c echo.Context) error {
		status, v := s.Store.GetNote(c.Request().Context(), c.Param("name"))
		return c.JSON(status, v)
	})
	e.PUT("/notes/:name", func(c echo.Context) error {
		req := c.Request()
		status, v := s.Store.PutNote(req.Context(), c.Param("name"), req.Header.Get("X-User"), req.Body)
		return c.JSON(status, v)
	})
	e.POST("/counter", func(c echo.Context) error {
		status, v := s.Store.Count(c.Request().Context())
		return c.JSON(status, v)
	})
	return e
}
