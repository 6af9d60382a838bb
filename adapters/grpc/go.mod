module github.com/dockerflow-go/dockerflow/adapters/grpc

go 1.25.0

replace github.com/dockerflow-go/dockerflow/core => ../../core

require (
	github.com/dockerflow-go/dockerflow/core v0.0.0
	google.golang.org/grpc v1.84.0
	google.golang.org/protobuf v1.36.12
)

require (
	golang.org/x/net v0.58.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
)
