// Command chi is the example service on chi v5: the same contract and
// business as examples/nethttp, with chi's routing (the summary logs the
// route pattern, /notes/{name}).
//
//	go run ./examples/chi
package main

import (
	"net/http"
	"os"

	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	"github.com/dockerflow-go/dockerflow/examples/platform"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
	"github.com/go-chi/chi/v5"
)

func main() {
	os.Exit(platform.Main("example-chi", handler))
}

func handler(s *platform.Service) http.Handler {
	r := chi.NewRouter()
	r.Use(dockerflowchi.Recoverer(s.Dockerflow), dockerflowchi.Middleware(s.Dockerflow))
	dockerflowchi.Register(r, s.Dockerflow)
	r.Get("/", s.Web.Home().ServeHTTP)
	r.Handle(web.Prefix+"*", s.Web.Static())
	r.Get("/notes/{name}", func(w http.ResponseWriter, r *http.Request) {
		status, v := s.Store.GetNote(r.Context(), chi.URLParam(r, "name"))
		platform.WriteJSON(w, status, v)
	})
	r.Put("/notes/{name}", func(w http.ResponseWriter, r *http.Request) {
		status, v := s.Store.PutNote(r.Context(), chi.URLParam(r, "name"), r.Header.Get("X-User"), r.Body)
		platform.WriteJSON(w, status, v)
	})
	r.Post("/counter", func(w http.ResponseWriter, r *http.Request) {
		status, v := s.Store.Count(r.Context())
		platform.WriteJSON(w, status, v)
	})
	return r
}
