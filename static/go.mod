module github.com/dockerflow-go/dockerflow/static

go 1.23

require (
	// brotli at quality 11 and zstd at its best level, at build time only:
	// the service's binary links neither compressor.
	github.com/andybalholm/brotli v1.3.0
	github.com/klauspost/compress v1.18.0
)
