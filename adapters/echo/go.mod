module github.com/dockerflow-go/dockerflow/adapters/echo

go 1.23.0

replace github.com/dockerflow-go/dockerflow/core => ../../core

require (
	github.com/dockerflow-go/dockerflow/core v0.0.0
	github.com/labstack/echo/v4 v4.13.4
)

require (
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	golang.org/x/crypto v0.38.0 // indirect
	golang.org/x/net v0.40.0 // indirect
	golang.org/x/sys v0.33.0 // indirect
	golang.org/x/text v0.25.0 // indirect
	golang.org/x/time v0.11.0 // indirect
)
