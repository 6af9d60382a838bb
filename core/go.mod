module github.com/dockerflow-go/dockerflow/core

go 1.22
