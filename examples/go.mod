module github.com/dockerflow-go/dockerflow/examples

go 1.23

require (
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.0.0
	github.com/dockerflow-go/dockerflow/core v0.0.0
	github.com/dockerflow-go/dockerflow/logformat v0.0.0
	github.com/sirupsen/logrus v1.10.2
)

require golang.org/x/sys v0.13.0 // indirect

replace (
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../adapters/nethttp
	github.com/dockerflow-go/dockerflow/core => ../core
	github.com/dockerflow-go/dockerflow/logformat => ../logformat
)
