// Command dockerflowchi is cmd/binsize/chi with the Dockerflow contract:
// core and the chi adapter, run by Service.Run. What it adds to the
// binary is what a chi service pays for the library.
package main

import (
	"context"
	"log"
	"net/http"

	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/go-chi/chi/v5"
)

func main() {
	svc, err := dockerflow.New(dockerflow.Config{})
	if err != nil {
		log.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
	dockerflowchi.Register(r, svc)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	if err := svc.Run(context.Background(), &http.Server{Addr: ":8000", Handler: r}); err != nil {
		log.Fatal(err)
	}
}
