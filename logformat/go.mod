module github.com/dockerflow-go/dockerflow/logformat

go 1.23

require (
	github.com/dockerflow-go/dockerflow/core v0.0.0
	github.com/sirupsen/logrus v1.10.2
)

require golang.org/x/sys v0.13.0 // indirect

replace github.com/dockerflow-go/dockerflow/core => ../core
