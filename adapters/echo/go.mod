module github.com/dockerflow-go/dockerflow/adapters/echo

go 1.23

replace github.com/dockerflow-go/dockerflow/core => ../../core

require (
	github.com/dockerflow-go/dockerflow/core v0.1.0
	// v4.6.0: the benchmarks measure against middleware.RequestLoggerWithConfig, new in v4.6.0.
	github.com/labstack/echo/v4 v4.6.0
)

require (
	github.com/golang-jwt/jwt v3.2.2+incompatible // indirect
	github.com/labstack/gommon v0.3.0 // indirect
	github.com/mattn/go-colorable v0.1.8 // indirect
	github.com/mattn/go-isatty v0.0.14 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.1 // indirect
	golang.org/x/crypto v0.0.0-20210817164053-32db794688a5 // indirect
	golang.org/x/net v0.0.0-20210913180222-943fd674d43e // indirect
	golang.org/x/sys v0.0.0-20210910150752-751e447fb3d0 // indirect
	golang.org/x/text v0.3.7 // indirect
	golang.org/x/time v0.0.0-20201208040808-7e3f01d25324 // indirect
)
