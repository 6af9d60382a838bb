module github.com/dockerflow-go/dockerflow/checks/redis

go 1.22

replace github.com/dockerflow-go/dockerflow/core => ../../core

require github.com/dockerflow-go/dockerflow/core v0.1.0
