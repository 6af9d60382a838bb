// Package faulttest makes backends fail on purpose, for tests of checks
// and services: an address nothing listens on ([FreeAddr]), a listener
// that accepts and never answers ([SilentListener]), and a proxy whose
// connection can be cut and restored ([Proxy]). Everything listens on
// loopback and is closed when the test ends.
package faulttest
