// Package platform is what a company shares across its services: the
// configuration they read from the environment, the backends they open,
// the migrations they apply, and one Dockerflow check set that every
// service registers. The example services (nethttp, chi, echo, gin) differ
// only in their framework; examples/grpc serves the same checks over gRPC
// beside them (MainWith). Package web is their status page at / and
// the static files it links, hashed and precompressed at build time.
//
// Configuration comes from the environment only: PORT (8000), APP_DIR,
// DATABASE_URL (postgres://, mysql:// or sqlite:), REDIS_URL (redis://,
// rediss://) and the DOCKERFLOW_* variables. With neither URL set, a
// service runs on embedded defaults, a pure-Go SQLite file in a temporary
// directory and an in-process Redis stand-in, and says so in its first
// log line.
package platform
