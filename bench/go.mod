module github.com/dockerflow-go/dockerflow/bench

go 1.25.0

replace (
	github.com/dockerflow-go/dockerflow/adapters/chi => ../adapters/chi
	github.com/dockerflow-go/dockerflow/adapters/echo => ../adapters/echo
	github.com/dockerflow-go/dockerflow/adapters/gin => ../adapters/gin
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../adapters/nethttp
	github.com/dockerflow-go/dockerflow/checks/redis => ../checks/redis
	github.com/dockerflow-go/dockerflow/core => ../core
	github.com/dockerflow-go/dockerflow/logformat => ../logformat
	github.com/dockerflow-go/dockerflow/logformat/zap => ../logformat/zap
	github.com/dockerflow-go/dockerflow/logformat/zerolog => ../logformat/zerolog
	github.com/dockerflow-go/dockerflow/static => ../static
)

require (
	github.com/alexliesenfeld/health v0.8.0
	github.com/dockerflow-go/dockerflow/adapters/chi v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/echo v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/gin v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.1.0
	github.com/dockerflow-go/dockerflow/checks/redis v0.1.0
	github.com/dockerflow-go/dockerflow/core v0.1.0
	github.com/dockerflow-go/dockerflow/logformat/zap v0.1.0
	github.com/dockerflow-go/dockerflow/logformat/zerolog v0.1.0
	github.com/dockerflow-go/dockerflow/static v0.1.0
	github.com/gin-gonic/gin v1.12.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/hellofresh/health-go/v5 v5.5.4
	github.com/labstack/echo/v4 v4.16.0
	github.com/redis/go-redis/v9 v9.18.0
	github.com/rs/zerolog v1.33.0
	github.com/sirupsen/logrus v1.10.2
	go.mozilla.org/mozlogrus v2.0.0+incompatible
	go.uber.org/zap v1.27.0
)

require (
	github.com/andybalholm/brotli v1.3.0 // indirect
	github.com/bytedance/gopkg v0.1.3 // indirect
	github.com/bytedance/sonic v1.15.0 // indirect
	github.com/bytedance/sonic/loader v0.5.0 // indirect
	github.com/cloudwego/base64x v0.1.6 // indirect
	github.com/gabriel-vasile/mimetype v1.4.12 // indirect
	github.com/gin-contrib/sse v1.1.0 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.30.1 // indirect
	github.com/goccy/go-json v0.10.5 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/klauspost/compress v1.18.0 // indirect
	github.com/klauspost/cpuid/v2 v2.3.0 // indirect
	github.com/leodido/go-urn v1.4.0 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/pelletier/go-toml/v2 v2.2.4 // indirect
	github.com/quic-go/qpack v0.6.0 // indirect
	github.com/quic-go/quic-go v0.59.0 // indirect
	github.com/rs/xid v1.5.0 // indirect
	github.com/stretchr/objx v0.5.3 // indirect
	github.com/twitchyliquid64/golang-asm v0.15.1 // indirect
	github.com/ugorji/go/codec v1.3.1 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/arch v0.22.0 // indirect
	google.golang.org/protobuf v1.36.10 // indirect
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/dockerflow-go/dockerflow/logformat v0.1.0
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
