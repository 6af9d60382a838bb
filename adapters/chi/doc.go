// Package dockerflowchi serves the Dockerflow contract on chi v5.
//
// Register adds /__version__, /__heartbeat__, /__lbheartbeat__ (and
// /__error__ when enabled) to a chi.Router, and Middleware gives every
// request an ID and logs its request.summary, with the route pattern chi
// matched as "route" (so that /users/1 and /users/2 log one value):
//
//	r := chi.NewRouter()
//	r.Use(dockerflowchi.Recoverer(svc), dockerflowchi.Middleware(svc))
//	dockerflowchi.Register(r, svc)
//	r.Get("/users/{id}", getUser)
//	http.ListenAndServe(addr, r)
//
// Static routes win over chi's patterns, so a route such as "/{page}" does
// not hide the endpoints. Under a prefix, mount them:
// r.Mount("/ops", dockerflowchi.Routes(svc)).
//
// Everything else is the net/http adapter's (dockerflowhttp), which chi
// takes as it is; the behaviour is the same byte for byte, checked by the
// same conformance suite.
//
// Static files (the static module's handler) mount as any handler:
//
//	r.Handle("/static/*", assets) // assets, _ := static.New(fsys, "/static/")
package dockerflowchi
