// Package reliability tests dockerflow-go where it matters most, when
// things go wrong: backends that stop or never answer under load, checks
// that misbehave, hostile input, secrets in configuration. The tests need
// real servers named by TEST_DOCKERFLOW_* (set by .ci/run) where they say
// so, and are bounded in time.
package reliability
