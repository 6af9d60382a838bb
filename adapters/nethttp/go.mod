module github.com/dockerflow-go/dockerflow/adapters/nethttp

go 1.23

require github.com/dockerflow-go/dockerflow/core v0.1.0

replace github.com/dockerflow-go/dockerflow/core => ../../core
