// Command dockerflow-check checks a running service, in any language,
// against the Dockerflow contract, black-box:
//
//	go install github.com/dockerflow-go/dockerflow/cmd/dockerflow-check@latest
//	dockerflow-check http://127.0.0.1:8000
//	docker logs -f svc | dockerflow-check --logs - http://127.0.0.1:8000
//	dockerflow-check --while-down 'docker pause redis' --restore 'docker unpause redis' http://127.0.0.1:8000
//	dockerflow-check --dockerfile Dockerfile --manifests k8s/ --format junit http://127.0.0.1:8000
//
// Each rule (dockerflow-check --list) has a name, a reason and a source:
// Dockerflow's README, the version object, the Dockerfile requirements,
// the mozlog standard, python-dockerflow's behaviour where they leave a
// question open, or this project's recommendation. Under --profile
// dockerflow (the default) only the published contract fails a service
// and the recommendations warn; --profile strict fails them too.
//
// It checks the version object, the heartbeat's status code, body,
// details and latency, the lbheartbeat's independence from backends,
// HEAD, trailing slashes, 405 with Allow, Cache-Control: no-store,
// /__error__, request IDs; with --logs, every line as mozlog and one
// request.summary per request sent (--path adds the application's own
// routes); with --dockerfile, the container rules; with --manifests,
// Kubernetes probes and grace periods; with --grpc, a grpc.health.v1
// server. It prints a table, JSON or JUnit XML (--format), and exits 0
// when no rule failed, 1 when one did, 2 on a usage error or when the
// service cannot be reached. It sends a few dozen requests at most, each
// with a timeout. docs/checker.md in the repository has the whole story.
package main
