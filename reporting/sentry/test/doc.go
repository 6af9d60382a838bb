// Package test holds the Sentry reporter's end-to-end tests: a real
// adapter in front of it and the real sentry-go client sending to a
// stand-in for Sentry. It is a module of its own so that the reporter's
// module requires no adapter.
package test
