module github.com/dockerflow-go/dockerflow/logformat/internal/bench

go 1.23

replace (
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../../../adapters/nethttp
	github.com/dockerflow-go/dockerflow/core => ../../../core
	github.com/dockerflow-go/dockerflow/logformat => ../..
)

require (
	github.com/dockerflow-go/dockerflow/logformat v0.0.0
	github.com/sirupsen/logrus v1.10.2
	go.mozilla.org/mozlogrus v2.0.0+incompatible
)

require (
	github.com/dockerflow-go/dockerflow/core v0.0.0 // indirect
	golang.org/x/sys v0.13.0 // indirect
)
