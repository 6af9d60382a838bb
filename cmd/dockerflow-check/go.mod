module github.com/dockerflow-go/dockerflow/cmd/dockerflow-check

go 1.23

// core/mozlog: the one mozlog line checker, shared with the library's own
// tests. No replace directive points core at its folder, as the library's
// modules have: go install refuses a module with one. In this repository
// the command is built and tested in the workspace (go.work), which does
// the same (make test).
require (
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// --manifests: the YAML project's maintained yaml.v3.
	go.yaml.in/yaml/v3 v3.0.4
	// --grpc: the health client; the version dockerflowgrpc requires.
	google.golang.org/grpc v1.72.0
)

require (
	golang.org/x/net v0.35.0 // indirect
	golang.org/x/sys v0.30.0 // indirect
	golang.org/x/text v0.22.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20250218202821-56aae31c358a // indirect
	google.golang.org/protobuf v1.36.5 // indirect
)
