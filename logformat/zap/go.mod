module github.com/dockerflow-go/dockerflow/logformat/zap

go 1.23

require (
	github.com/dockerflow-go/dockerflow/core v0.1.0
	go.uber.org/zap v1.24.0
)

require (
	go.uber.org/atomic v1.7.0 // indirect
	go.uber.org/multierr v1.6.0 // indirect
)

replace github.com/dockerflow-go/dockerflow/core => ../../core
