// Package dockerflowgorilla serves a Dockerflow service on a gorilla/mux
// router (github.com/gorilla/mux), in the same words as the other
// adapters:
//
//	r := mux.NewRouter()
//	r.Use(dockerflowgorilla.Recover(svc), dockerflowgorilla.Middleware(svc))
//	dockerflowgorilla.Register(r, svc)
//	r.HandleFunc("/type/{type:[a-z]{1,12}}/{value}", lookup).Methods("GET")
//
// Register puts /__version__, /__heartbeat__, /__lbheartbeat__ (and
// /__error__ when enabled) on the router, with and without a trailing
// slash, for every method: other methods than GET and HEAD are answered
// 405 with Allow by the endpoint itself. Middleware, for Router.Use, gives
// every request that matches a route its request ID and its
// request.summary, with gorilla's route template as route
// ("/type/{type:[a-z]{1,12}}/{value}", never the raw path, which here holds
// the IP addresses looked up). Requests no route matches (gorilla's
// NotFoundHandler and MethodNotAllowedHandler) run no Router.Use
// middleware: Register wraps those two handlers so that they get their
// summary too. Recover turns a panic into a 500, as the other adapters
// do, in either order with Middleware.
//
// Static files (the static module's handler) mount on a prefix route:
//
//	r.PathPrefix("/static/").Handler(assets) // assets, _ := static.New(fsys, "/static/")
package dockerflowgorilla
