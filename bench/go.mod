module github.com/dockerflow-go/dockerflow/bench

go 1.25.0

replace (
	github.com/dockerflow-go/dockerflow/adapters/chi => ../adapters/chi
	github.com/dockerflow-go/dockerflow/adapters/echo => ../adapters/echo
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../adapters/nethttp
	github.com/dockerflow-go/dockerflow/checks/redis => ../checks/redis
	github.com/dockerflow-go/dockerflow/core => ../core
	github.com/dockerflow-go/dockerflow/logformat => ../logformat
)

require (
	github.com/alexliesenfeld/health v0.8.0
	github.com/dockerflow-go/dockerflow/adapters/chi v0.0.0
	github.com/dockerflow-go/dockerflow/adapters/echo v0.0.0
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.0.0
	github.com/dockerflow-go/dockerflow/checks/redis v0.0.0
	github.com/dockerflow-go/dockerflow/core v0.0.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/hellofresh/health-go/v5 v5.5.4
	github.com/labstack/echo/v4 v4.16.0
	github.com/redis/go-redis/v9 v9.18.0
	github.com/sirupsen/logrus v1.10.2
	go.mozilla.org/mozlogrus v2.0.0+incompatible
)

require github.com/stretchr/objx v0.5.3 // indirect

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/dockerflow-go/dockerflow/logformat v0.0.0
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	go.opentelemetry.io/otel v1.35.0 // indirect
	go.opentelemetry.io/otel/trace v1.35.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/crypto v0.53.0 // indirect
	golang.org/x/net v0.56.0 // indirect
	golang.org/x/sys v0.46.0 // indirect
	golang.org/x/text v0.40.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)
