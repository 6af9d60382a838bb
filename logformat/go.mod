module github.com/dockerflow-go/dockerflow/logformat

go 1.23

require (
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// v1.4.1: in v1.4.0 WithContext shares an entry's fields with the next entry.
	github.com/sirupsen/logrus v1.4.1
)

require (
	github.com/konsorten/go-windows-terminal-sequences v1.0.1 // indirect
	golang.org/x/sys v0.0.0-20180905080454-ebe1bf3edb33 // indirect
)

replace github.com/dockerflow-go/dockerflow/core => ../core
