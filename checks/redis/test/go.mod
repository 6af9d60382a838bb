module github.com/dockerflow-go/dockerflow/checks/redis/test

go 1.22

replace (
	github.com/dockerflow-go/dockerflow/checks/redis => ../
	github.com/dockerflow-go/dockerflow/core => ../../../core
)

require (
	github.com/alicebob/miniredis/v2 v2.40.0
	github.com/dockerflow-go/dockerflow/checks/redis v0.1.0
	github.com/dockerflow-go/dockerflow/core v0.1.0
	github.com/go-redis/redis/v8 v8.11.5
	github.com/redis/go-redis/v9 v9.17.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/yuin/gopher-lua v1.1.1 // indirect
)
