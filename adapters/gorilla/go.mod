module github.com/dockerflow-go/dockerflow/adapters/gorilla

go 1.23

replace (
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../nethttp
	github.com/dockerflow-go/dockerflow/core => ../../core
)

require (
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.1.0
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// the oldest gorilla/mux with Router.Use; the adapter needs nothing newer.
	github.com/gorilla/mux v1.6.2
)

require github.com/gorilla/context v1.1.2 // indirect
