// Package dockerflowhttp serves the Dockerflow contract on net/http.
//
// [Handler] serves /__version__, /__heartbeat__, /__lbheartbeat__ (and
// /__error__ when enabled) in front of the application, and [Middleware]
// gives every request an ID and logs its request.summary. [Wrap] puts both
// around an application; [Recover] turns panics into 500 answers for
// services without recovery middleware of their own.
//
//	cfg, err := dockerflow.ConfigFromEnv(nil) // DOCKERFLOW_* variables
//	if err != nil {
//		log.Fatal(err)
//	}
//	svc, err := dockerflow.New(cfg)
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer svc.Close()
//	addr, err := dockerflow.ListenAddr(nil, "")
//	if err != nil {
//		log.Fatal(err)
//	}
//	log.Fatal(http.ListenAndServe(addr, dockerflowhttp.Recover(dockerflowhttp.Wrap(svc, mux))))
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
