// Package e2e tests the example services from outside: it builds them,
// starts them on free ports with embedded defaults and with the real
// PostgreSQL, MariaDB and Redis of TEST_DOCKERFLOW_* (set by .ci/run), and
// checks every endpoint, the logs and the shutdown; the status page in
// headless Chromium (TEST_DOCKERFLOW_CHROMIUM, or chromium on PATH), and
// examples/grpc with grpc-health-probe, built from the module proxy.
package e2e
