// Package dockerflowgin serves the Dockerflow contract on gin.
//
// Register adds /__version__, /__heartbeat__, /__lbheartbeat__ (and
// /__error__ when enabled) to a gin.IRouter (the engine or a group), and
// Middleware gives every request an ID and logs its request.summary, with
// gin's matched route (c.FullPath(), "/users/:id") as "route":
//
//	gin.SetMode(gin.ReleaseMode) // gin's debug lines go to stdout
//	r := gin.New()
//	r.Use(dockerflowgin.Recovery(svc), dockerflowgin.Middleware(svc))
//	dockerflowgin.Register(r, svc)
//	r.GET("/users/:id", getUser)
//	r.Run(addr)
//
// Errors take gin's way: the summary's code is the status gin sent, and
// errors a handler attached with c.Error are logged in the summary's
// error field, at error level when the status is a 5xx. A panic is logged
// once, with its stack, and goes on to the recovery in front.
// Recovery is gin.CustomRecoveryWithWriter answering as the other
// adapters do; gin.Recovery() works too, but it prints the stack (and, in
// debug mode, the request's headers, cookies included) on stderr.
//
// gin's trailing-slash and fixed-path redirects (RedirectTrailingSlash,
// on by default, and RedirectFixedPath) are answered before any
// middleware runs: they get no request ID and no summary. Turn them off
// where every request must be logged.
//
// The behaviour is the net/http adapter's byte for byte, checked by the
// same conformance suite; the endpoints are matched on the raw path, so
// /%5F_heartbeat__, which gin routes to /__heartbeat__, answers 404.
//
// Static files (the static module's handler) mount through gin's
// wrapper:
//
//	r.GET("/static/*path", gin.WrapH(assets)) // assets, _ := static.New(fsys, "/static/")
package dockerflowgin
