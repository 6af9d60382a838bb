module github.com/dockerflow-go/dockerflow/examples

go 1.22

require (
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.0.0
	github.com/dockerflow-go/dockerflow/core v0.0.0
)

replace (
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../adapters/nethttp
	github.com/dockerflow-go/dockerflow/core => ../core
)
