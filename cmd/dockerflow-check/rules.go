package main

import (
	"sort"
	"strings"
)

// Where the rules come from.
const (
	specEndpoints = "https://github.com/mozilla-services/Dockerflow#containerized-app-requirements"
	specVersion   = "https://github.com/mozilla-services/Dockerflow/blob/main/docs/version_object.md"
	specMozlog    = "https://wiki.mozilla.org/Firefox/Services/Logging"
	specBuilding  = "https://github.com/mozilla-services/Dockerflow#dockerfile-requirements"
	pyDockerflow  = "https://python-dockerflow.readthedocs.io/en/latest/django.html"
	projectSpec   = "https://github.com/dockerflow-go/dockerflow/blob/main/docs/checker.md#profiles"
	k8sProbes     = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"
)

// A rule's source: what makes it a requirement. Under the dockerflow
// profile (the default) only the published contract can fail a service:
// Dockerflow's README and the documents it points to (the version
// object, the Dockerfile requirements, the mozlog standard), and
// python-dockerflow's behaviour where they leave a question open. This
// project's stricter recommendations warn, with their reason; under the
// strict profile they fail too.
type source string

const (
	fromSpec    source = "Dockerflow's README"
	fromVersion source = "Dockerflow's version object"
	fromDocker  source = "Dockerflow's Dockerfile requirements"
	fromMozlog  source = "the mozlog standard"
	fromPython  source = "python-dockerflow's behaviour"
	fromProject source = "this project's recommendation"
	fromFlags   source = "the command line"
)

// rule is one thing the checker checks, with why it matters and where
// the requirement comes from.
type rule struct {
	name, reason, link string
	from               source
}

// rules are every rule, by name; a rule's group is its name up to the
// first dot ("version", "heartbeat"...).
var rules = map[string]rule{}

func def(name string, from source, reason, link string) string {
	rules[name] = rule{name: name, reason: reason, link: link, from: from}
	return name
}

var (
	ruleVersionStatus      = def("version.status", fromSpec, "deploy tooling reads /__version__ to know what runs: the route exists and answers 200 with the version object", specEndpoints)
	ruleVersionContentType = def("version.content-type", fromProject, "the version object is JSON and says so (Content-Type: application/json)", projectSpec)
	ruleVersionFields      = def("version.fields", fromVersion, "a JSON object with the strings source, version, commit and build", specVersion)
	ruleVersionCommit      = def("version.commit", fromVersion, "commit is the git hash the image was built from (40 hex digits; empty outside a checkout)", specVersion)
	ruleVersionURLs        = def("version.urls", fromVersion, "source is the repository's URL; build, when set, the CI build's", specVersion)
	ruleVersionExpected    = def("version.expected", fromFlags, "the deployed version is the one expected (--expect-commit, --expect-version): deploys drift", projectSpec)

	ruleHeartbeatStatus  = def("heartbeat.status-code", fromSpec, "200, or 5xx on error: a load balancer reads only the code", specEndpoints)
	ruleHeartbeatBody    = def("heartbeat.body", fromPython, "a JSON object whose status is a level (ok, warning, error, critical... unknown); checks and details shaped as python-dockerflow's", pyDockerflow)
	ruleHeartbeatDetails = def("heartbeat.details", fromProject, "checks and details are not shown in production: they tell anyone who reaches the endpoint what the service depends on and what fails (python-dockerflow shows them only in DEBUG)", pyDockerflow)
	ruleHeartbeatLatency = def("heartbeat.latency", fromProject, "answers within the probe budget (Kubernetes gives up after 1 s by default), naming the check that hung rather than timing out", k8sProbes)

	ruleLBStatus      = def("lbheartbeat.status", fromSpec, "200: the process is alive", specEndpoints)
	ruleLBBody        = def("lbheartbeat.body", fromProject, "an empty body, as python-dockerflow's Django and Flask answer: nothing to parse, nothing to cache", projectSpec)
	ruleLBLatency     = def("lbheartbeat.latency", fromProject, "answers at once: it touches nothing", projectSpec)
	ruleLBIndependent = def("lbheartbeat.independent", fromSpec, "stays 200 while a backend is down: it should not check backing services, or a load balancer polling it takes every instance out on one outage", specEndpoints)

	ruleMethodsHead  = def("endpoints.head", fromProject, "HEAD answers as GET does, without a body", projectSpec)
	ruleMethodsSlash = def("endpoints.trailing-slash", fromProject, "/__version__/ is served as /__version__ (a redirect is not the same answer)", projectSpec)
	ruleMethodsOther = def("endpoints.methods", fromProject, "other methods than GET and HEAD get 405 with Allow", projectSpec)
	ruleNoStore      = def("endpoints.no-store", fromProject, "Cache-Control: no-store on every answer: a cached heartbeat is a lie", projectSpec)

	ruleErrorEndpoint = def("error.endpoint", fromPython, "/__error__, where it is served, fails its request through the application's error handling: a 5xx, and with --logs a summary with errno (or code) 500", pyDockerflow)
	ruleErrorTrace    = def("error.traceback", fromProject, "the exception /__error__ raises reaches the log with its traceback, so that a real one would", projectSpec)

	ruleRIDEcho    = def("request-id.echo", fromProject, "a valid X-Request-ID is kept and echoed, so that one ID follows a request through services and logs", projectSpec)
	ruleRIDInvalid = def("request-id.invalid", fromProject, "an invalid X-Request-ID (too long, not printable ASCII) is replaced, never echoed or logged", projectSpec)

	ruleLogsMozlog     = def("logs.mozlog", fromMozlog, "every line is a mozlog JSON object: Timestamp (ns), Type, Logger, Hostname, EnvVersion, Severity 0-7, Pid, Fields where present", specMozlog)
	ruleLogsEnvelope   = def("logs.envelope", fromProject, "every line has exactly mozlog's eight envelope keys, EnvVersion 2.0, as python-dockerflow writes them", projectSpec)
	ruleLogsSummary    = def("logs.summary", fromPython, "each request has exactly one request.summary with its rid, method, path, t, and errno (Django, Flask) or code (FastAPI)", pyDockerflow)
	ruleLogsSummaryApp = def("logs.summary-routes", fromPython, "the application's own routes (--path) get their request.summary too, not only the endpoints", pyDockerflow)
	ruleLogsRID        = def("logs.rid", fromPython, "lines logged while serving a request carry its rid, not only its summary", pyDockerflow)
	ruleLogsCheckIDs   = def("logs.check-ids", fromPython, "a failing or warning check's messages are logged with their IDs (dockerflow.health.E001...)", pyDockerflow)

	ruleDockerApp        = def("dockerfile.app-dir", fromDocker, "the application lives in /app (WORKDIR /app)", specBuilding)
	ruleDockerUser       = def("dockerfile.user", fromDocker, "it runs as user app (uid 10001, group app gid 10001), not root", specBuilding)
	ruleDockerEntrypoint = def("dockerfile.entrypoint", fromDocker, "ENTRYPOINT and CMD both set: the image runs its service by default and takes other commands", specBuilding)
	ruleDockerVersion    = def("dockerfile.version-json", fromVersion, "version.json is put into /app at build time", specVersion)

	ruleK8sProbes   = def("manifests.probes", fromProject, "liveness on /__lbheartbeat__ (touching no backend), readiness on /__heartbeat__: swapped, one outage restarts every pod", k8sProbes)
	ruleK8sTimeouts = def("manifests.timeouts", fromProject, "a probe's timeout is above the heartbeat's check timeout, so that a slow check fails with its name rather than as a probe timeout", k8sProbes)
	ruleK8sGrace    = def("manifests.grace", fromProject, "terminationGracePeriodSeconds is above the drain delay plus the shutdown timeout, so that a stop drops no request", k8sProbes)
	// KEP-1669: kube-proxy falls back to terminating endpoints that are still serving (readiness passing) when none is ready.
	ruleK8sTerminating = def("manifests.terminating", fromProject, "the readiness probe on /__heartbeat__ cannot fail a draining pod before its drain delay ends ((failureThreshold - 1) x periodSeconds), so that when every endpoint terminates, KEP-1669's fallback keeps it until it stops serving", "https://www.kubernetes.dev/resources/keps/1669/")

	ruleGRPCHealth = def("grpc.health", fromProject, "a grpc.health.v1 server answers the overall service SERVING, an unknown one NOT_FOUND, and Watch sends the status at once", "https://github.com/grpc/grpc/blob/master/doc/health-checking.md")
)

// profile is how strictly the rules judge: dockerflow (the published
// contract; recommendations warn) or strict (recommendations fail too).
type profile string

const (
	profileDockerflow profile = "dockerflow"
	profileStrict     profile = "strict"
)

// judged is the verdict a failure of rule r gets under p.
func (p profile) judged(r rule) string {
	if r.from == fromProject && p != profileStrict {
		return warn
	}
	return fail
}

// ruleNames returns every rule's name, sorted.
func ruleNames() []string {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// selection is which rules run: --rule and --skip, each a list of rule
// names or groups.
type selection struct{ only, skip []string }

func matches(name string, list []string) bool {
	for _, l := range list {
		if name == l || strings.HasPrefix(name, l+".") {
			return true
		}
	}
	return false
}

func (s selection) runs(name string) bool {
	return (len(s.only) == 0 || matches(name, s.only)) && !matches(name, s.skip)
}

// unknown returns the names in the lists that are no rule or group.
func (s selection) unknown() []string {
	var bad []string
	for _, l := range append(append([]string{}, s.only...), s.skip...) {
		found := false
		for n := range rules {
			if n == l || strings.HasPrefix(n, l+".") {
				found = true
				break
			}
		}
		if !found {
			bad = append(bad, l)
		}
	}
	return bad
}
