// Package dockerflowecho serves the Dockerflow contract on echo v4.
//
// Register adds /__version__, /__heartbeat__, /__lbheartbeat__ (and
// /__error__ when enabled) to an *echo.Echo or *echo.Group, and Middleware
// (or MiddlewareWithConfig, with a Skipper) gives every request an ID and
// logs its request.summary, with echo's route path as "route":
//
//	e := echo.New()
//	e.Use(dockerflowecho.Recover(svc), dockerflowecho.Middleware(svc))
//	dockerflowecho.Register(e, svc)
//	e.GET("/users/:id", getUser)
//	e.Start(addr)
//
// Errors take echo's way: /__error__ returns an error to the
// HTTPErrorHandler, and the summary logs the status the error handler
// sent, for echo.HTTPError returns too. A panic is logged once, with its
// stack, and answered by Recover, in either order of the two.
//
// The behaviour is the net/http adapter's byte for byte, checked by the
// same conformance suite.
//
// Static files (the static module's handler) mount through echo's
// wrapper:
//
//	e.GET("/static/*", echo.WrapHandler(assets)) // assets, _ := static.New(fsys, "/static/")
package dockerflowecho
