module github.com/dockerflow-go/dockerflow/adapters/grpc

go 1.23

replace github.com/dockerflow-go/dockerflow/core => ../../core

require (
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// v1.72.0: the health service's List RPC (grpc_health_v1.HealthListRequest).
	google.golang.org/grpc v1.72.0
	google.golang.org/protobuf v1.36.5
)

require (
	golang.org/x/net v0.35.0 // indirect
	golang.org/x/sys v0.30.0 // indirect
	golang.org/x/text v0.22.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20250218202821-56aae31c358a // indirect
)
