module github.com/dockerflow-go/dockerflow/tools

go 1.22
