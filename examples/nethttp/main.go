// Command nethttp is a small service on plain net/http that meets the
// Dockerflow contract: /__version__, /__heartbeat__ (database, migrations,
// Redis), /__lbheartbeat__, one mozlog request.summary per request,
// configuration from the environment. With no DATABASE_URL or REDIS_URL
// it runs on embedded stand-ins:
//
//	go run ./examples/nethttp
//	curl -i localhost:8000/__heartbeat__
//	curl -X PUT -H 'X-User: ann' --data 'hello' localhost:8000/notes/first
//
// It stops gracefully on SIGTERM or SIGINT.
package main

import (
	"net/http"
	"os"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	"github.com/dockerflow-go/dockerflow/examples/platform"
	"github.com/dockerflow-go/dockerflow/examples/platform/web"
)

func main() {
	os.Exit(platform.Main("example-nethttp", handler))
}

func handler(s *platform.Service) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.Web.Home())
	mux.Handle("GET "+web.Prefix, s.Web.Static())
	mux.HandleFunc("GET /notes/{name}", func(w http.ResponseWriter, r *http.Request) {
		status, v := s.Store.GetNote(r.Context(), r.PathValue("name"))
		platform.WriteJSON(w, status, v)
	})
	mux.HandleFunc("PUT /notes/{name}", func(w http.ResponseWriter, r *http.Request) {
		status, v := s.Store.PutNote(r.Context(), r.PathValue("name"), r.Header.Get("X-User"), r.Body)
		platform.WriteJSON(w, status, v)
	})
	mux.HandleFunc("POST /counter", func(w http.ResponseWriter, r *http.Request) {
		status, v := s.Store.Count(r.Context())
		platform.WriteJSON(w, status, v)
	})
	// Endpoints in front of the application, request middleware around
	// both, and a recovery outside that answers 500 for panics.
	return dockerflowhttp.Wrap(s.Dockerflow, mux)
}
