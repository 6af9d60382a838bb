module github.com/dockerflow-go/dockerflow/reporting/sentry

go 1.23.0

replace (
	github.com/dockerflow-go/dockerflow/adapters/nethttp => ../../adapters/nethttp
	github.com/dockerflow-go/dockerflow/core => ../../core
)

require (
	github.com/dockerflow-go/dockerflow/adapters/nethttp v0.1.0
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// the newest sentry-go whose go line is 1.23
	github.com/getsentry/sentry-go v0.40.0
)

require (
	golang.org/x/sys v0.18.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)
