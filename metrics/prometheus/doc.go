// Package dockerflowprometheus turns what a Dockerflow service sees into
// Prometheus metrics (github.com/prometheus/client_golang): its checks,
// its heartbeats and, if asked, its requests. One call registers them
// with the registry of your choice and returns the observer that feeds
// them:
//
//	obs, err := dockerflowprometheus.New(prometheus.DefaultRegisterer, dockerflowprometheus.Options{Requests: true})
//	cfg.Observers = append(cfg.Observers, obs)
//
// The metrics, each named with the Namespace ("dockerflow" by default):
//
//	dockerflow_check_up{check}                      gauge: 1 while the check passes (its level, as the heartbeat counts it, is below error), else 0
//	dockerflow_check_level{check}                   gauge: the check's level (0 ok, 10 debug, 20 info, 30 warning, 40 error, 50 critical)
//	dockerflow_check_duration_seconds{check}        histogram: how long each run of the check took
//	dockerflow_check_runs_total{check,result}       counter: runs by result: the level the run found (ok, warning, error...), or timeout, or panic
//	dockerflow_heartbeats_total{status}             counter: heartbeats by status (ok, warning, error, critical...)
//	dockerflow_request_duration_seconds{route,method,code}  histogram, with Options.Requests: requests and RPCs by route, method and status
//
// route is the pattern that matched ("/users/{id}"), never the raw path,
// so that the number of series stays bounded; "" when none matched (a
// 404). method is the HTTP method, _OTHER for one outside RFC 9110's
// list; code the status code. For an RPC, route is its full method
// ("/pkg.Service/Method", "" when the method is unknown to the server),
// method "GRPC" and code the status code's name ("NOT_FOUND").
//
// Serve them with promhttp, on a port of their own or beside the
// Dockerflow endpoints, on a mux of your own (http.NewServeMux, a
// router), never on http.DefaultServeMux: client_golang imports expvar,
// which registers /debug/vars there (memory statistics and the command
// line, secrets included) in every binary that links it.
package dockerflowprometheus
