// Command gin is the example service on gin: the same contract and
// business as examples/nethttp, with gin's routing (the summary logs the
// route, /notes/:name), and its summaries and dockerflow's events logged
// through zerolog (logformat/zerolog).
//
//	go run ./examples/gin
package main

import (
	"net/http"
	"os"

	dockerflowgin "github.com/dockerflow-go/dockerflow/adapters/gin"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/dockerflow-go/dockerflow/examples/platform"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
	mozlogzerolog "github.com/dockerflow-go/dockerflow/logformat/zerolog"
	"github.com/gin-gonic/gin"
	"github.com/rs/zerolog"
)

func main() {
	// Release mode: in debug mode gin prints its routes and warnings on
	// stdout, which is for mozlog lines only.
	gin.SetMode(gin.ReleaseMode)
	os.Exit(platform.Run("example-gin", handler, platform.Options{Logger: func(opts *mozlog.Options) dockerflow.Logger {
		return mozlogzerolog.NewLogger(mozlogzerolog.New(os.Stdout, opts).Level(zerolog.InfoLevel))
	}}))
}

func handler(s *platform.Service) http.Handler {
	r := gin.New()
	// gin answers its trailing-slash redirects before any middleware
	// runs, so they would have no request ID and no summary: off, every
	// request is logged (/notes/x/ is a 404).
	r.RedirectTrailingSlash = false
	r.Use(dockerflowgin.Recovery(s.Dockerflow), dockerflowgin.Middleware(s.Dockerflow))
	dockerflowgin.Register(r, s.Dockerflow)
	r.GET("/", gin.WrapH(s.Web.Home()))
	r.Match([]string{http.MethodGet, http.MethodHead}, web.Prefix+"*name", gin.WrapH(s.Web.Static()))
	r.GET("/notes/:name", func(c *gin.Context) {
		status, v := s.Store.GetNote(c.Request.Context(), c.Param("name"))
		platform.WriteJSON(c.Writer, status, v)
	})
	r.PUT("/notes/:name", func(c *gin.Context) {
		status, v := s.Store.PutNote(c.Request.Context(), c.Param("name"), c.GetHeader("X-User"), c.Request.Body)
		platform.WriteJSON(c.Writer, status, v)
	})
	r.POST("/counter", func(c *gin.Context) {
		status, v := s.Store.Count(c.Request.Context())
		platform.WriteJSON(c.Writer, status, v)
	})
	return r
}
