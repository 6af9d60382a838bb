// Package dockerflowhttp serves the Dockerflow contract on net/http.
//
// [Handler] serves /__version__, /__heartbeat__, /__lbheartbeat__ (and
// /__error__ when enabled) in front of the application, and [Middleware]
// gives every request an ID and logs its request.summary. [Wrap] puts both
// around an application, and [Recover], which turns panics into 500
// answers, around everything: what a service on net/http needs.
//
//	svc, err := dockerflow.New(cfg) // cfg from dockerflow.ConfigFromEnv
//	...
//	srv := &http.Server{Addr: addr, Handler: dockerflowhttp.Wrap(svc, mux)}
//	err = svc.Run(context.Background(), srv) // until SIGTERM; drops no request
//
// The package example "quickstart" is a whole service.
//
// Handler(svc, nil) alone serves only the endpoints, to mount on a mux:
//
//	endpoints := dockerflowhttp.Handler(svc, nil)
//	mux.Handle("/__heartbeat__", endpoints)
//
// Chi takes both as they are; the dockerflowchi module adds what is chi's
// own.
//
// Static files (the static module's handler) mount as any handler, and
// get their summaries like any request:
//
//	mux.Handle("GET /static/", assets) // assets, _ := static.New(fsys, "/static/")
package dockerflowhttp
