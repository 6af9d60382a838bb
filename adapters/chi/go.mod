module github.com/dockerflow-go/dockerflow/adapters/chi

go 1.23

replace (
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../nethttp
	github.com/dockerflow-go/dockerflow/core => ../../core
)

require (
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.1.0
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// the oldest chi v5; the adapter needs nothing newer.
	github.com/go-chi/chi/v5 v5.0.0
)
