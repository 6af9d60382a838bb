module github.com/dockerflow-go/dockerflow/examples

go 1.25.0

replace (
	github.com/dockerflow-go/dockerflow/adapters/chi => ../adapters/chi
	github.com/dockerflow-go/dockerflow/adapters/echo => ../adapters/echo
	github.com/dockerflow-go/dockerflow/adapters/gin => ../adapters/gin
	github.com/dockerflow-go/dockerflow/adapters/grpc => ../adapters/grpc
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../adapters/nethttp
	github.com/dockerflow-go/dockerflow/checks/redis => ../checks/redis
	github.com/dockerflow-go/dockerflow/checks/sql => ../checks/sql
	github.com/dockerflow-go/dockerflow/core => ../core
	github.com/dockerflow-go/dockerflow/logformat => ../logformat
	github.com/dockerflow-go/dockerflow/logformat/zap => ../logformat/zap
	github.com/dockerflow-go/dockerflow/logformat/zerolog => ../logformat/zerolog
	github.com/dockerflow-go/dockerflow/metrics/prometheus => ../metrics/prometheus
	github.com/dockerflow-go/dockerflow/reporting/sentry => ../reporting/sentry
	github.com/dockerflow-go/dockerflow/static => ../static
)

require (
	github.com/alicebob/miniredis/v2 v2.40.0
	github.com/dockerflow-go/dockerflow/adapters/chi v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/echo v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/gin v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/grpc v0.1.0
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.1.0
	github.com/dockerflow-go/dockerflow/checks/redis v0.1.0
	github.com/dockerflow-go/dockerflow/checks/sql v0.1.0
	github.com/dockerflow-go/dockerflow/core v0.1.0
	github.com/dockerflow-go/dockerflow/logformat v0.1.0
	github.com/dockerflow-go/dockerflow/logformat/zap v0.1.0
	github.com/dockerflow-go/dockerflow/logformat/zerolog v0.1.0
	github.com/dockerflow-go/dockerflow/metrics/prometheus v0.1.0
	github.com/dockerflow-go/dockerflow/reporting/sentry v0.1.0
	github.com/dockerflow-go/dockerflow/static v0.1.0
	github.com/getsentry/sentry-go v0.40.0
	github.com/gin-gonic/gin v1.12.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/go-sql-driver/mysql v1.9.3
	github.com/jackc/pgx/v5 v5.7.4
	github.com/labstack/echo/v4 v4.16.0
	github.com/prometheus/client_golang v1.23.2
	github.com/redis/go-redis/v9 v9.18.0
	github.com/rs/zerolog v1.33.0
	github.com/sirupsen/logrus v1.10.2
	go.uber.org/zap v1.27.0
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/net v0.58.0
	google.golang.org/grpc v1.84.0
	google.golang.org/protobuf v1.36.12
	modernc.org/sqlite v1.35.0
)

require (
	filippo.io/edwards25519 v1.1.0 // indirect
	github.com/andybalholm/brotli v1.3.0 // indirect
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/bytedance/gopkg v0.1.3 // indirect
	github.com/bytedance/sonic v1.15.0 // indirect
	github.com/bytedance/sonic/loader v0.5.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/cloudwego/base64x v0.1.6 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/gabriel-vasile/mimetype v1.4.12 // indirect
	github.com/gin-contrib/sse v1.1.0 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.30.1 // indirect
	github.com/goccy/go-json v0.10.5 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.2 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/klauspost/compress v1.18.0 // indirect
	github.com/klauspost/cpuid/v2 v2.3.0 // indirect
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/leodido/go-urn v1.4.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/ncruces/go-strftime v0.1.9 // indirect
	github.com/pelletier/go-toml/v2 v2.2.4 // indirect
	github.com/prometheus/client_model v0.6.2 // indirect
	github.com/prometheus/common v0.66.1 // indirect
	github.com/prometheus/procfs v0.16.1 // indirect
	github.com/quic-go/qpack v0.6.0 // indirect
	github.com/quic-go/quic-go v0.59.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	github.com/twitchyliquid64/golang-asm v0.15.1 // indirect
	github.com/ugorji/go/codec v1.3.1 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	github.com/yuin/gopher-lua v1.1.1 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	go.yaml.in/yaml/v2 v2.4.2 // indirect
	golang.org/x/arch v0.22.0 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/exp v0.0.0-20230315142452-642cacee5cc0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
	golang.org/x/time v0.15.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
	modernc.org/libc v1.61.13 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.8.2 // indirect
)
