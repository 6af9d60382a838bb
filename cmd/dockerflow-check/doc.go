// Command dockerflow-check checks a running service, in any language,
// against the Dockerflow contract, black-box:
//
//	go install github.com/dockerflow-go/dockerflow/cmd/dockerflow-check@latest
//	dockerflow-check http://127.0.0.1:8000
//	docker logs -f svc | dockerflow-check --logs - http://127.0.0.1:8000
//	dockerflow-check --while-down 'docker stop redis' --dockerfile Dockerfile http://127.0.0.1:8000
//
// Each rule (dockerflow-check --list) has a name, a reason and a link to
// where the requirement is written: /__version__'s object, the
// heartbeat's status code, body and latency, the lbheartbeat's
// independence from backends, HEAD, trailing slashes, 405 with Allow,
// Cache-Control: no-store, request IDs; with --logs, every line as mozlog
// and one request.summary per request sent; with --dockerfile, the
// container rules (/app, user app 10001, ENTRYPOINT and CMD,
// version.json). It prints a table (or --json), and exits 0 only when no
// rule failed. It sends a few dozen requests at most, each with a
// timeout.
package main
