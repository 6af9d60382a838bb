package main

import (
	"sort"
	"strings"
)

// Where the rules come from.
const (
	specEndpoints = "https://github.com/mozilla-services/Dockerflow#containerized-app-requirements"
	specVersion   = "https://github.com/mozilla-services/Dockerflow/blob/main/docs/version_object.md"
	specMozlog    = "https://github.com/mozilla-services/Dockerflow/blob/main/docs/mozlog.md"
	specBuilding  = "https://github.com/mozilla-services/Dockerflow/blob/main/docs/building-container.md"
	pyDockerflow  = "https://python-dockerflow.readthedocs.io/en/latest/django.html"
	k8sProbes     = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"
)

// rule is one thing the checker checks, with why it matters and where
// the requirement comes from.
type rule struct {
	name, reason, link string
}

// rules are every rule, by name; a rule's group is its name up to the
// first dot ("version", "heartbeat"...).
var rules = map[string]rule{}

func def(name, reason, link string) string {
	rules[name] = rule{name, reason, link}
	return name
}

var (
	ruleVersionStatus      = def("version.status", "deploy tooling reads /__version__ to know what runs: 200 with the version object, 404 only while there is none", specVersion)
	ruleVersionContentType = def("version.content-type", "the version object is JSON and says so", specVersion)
	ruleVersionFields      = def("version.fields", "a JSON object with the strings source, version, commit and build", specVersion)
	ruleVersionCommit      = def("version.commit", "commit is the 40-hex git commit the image was built from (or empty)", specVersion)
	ruleVersionURLs        = def("version.urls", "source is the repository's URL; build, when set, the CI build's", specVersion)

	ruleHeartbeatStatus  = def("heartbeat.status-code", "200 while the body's status is below error (warnings pass), 5xx at error and above: a load balancer reads only the code", pyDockerflow)
	ruleHeartbeatBody    = def("heartbeat.body", "a JSON object with status a known level; checks and details, when shown, shaped as python-dockerflow's", pyDockerflow)
	ruleHeartbeatLatency = def("heartbeat.latency", "answers within the probe budget (Kubernetes gives up after 1 s by default), naming the check that hung rather than timing out", k8sProbes)

	ruleLBStatus      = def("lbheartbeat.status", "200 with an empty body: the process is alive", specEndpoints)
	ruleLBLatency     = def("lbheartbeat.latency", "answers at once: it touches nothing", specEndpoints)
	ruleLBIndependent = def("lbheartbeat.independent", "stays 200 while a backend is down: a load balancer polling it must not take every instance out on one outage", specEndpoints)

	ruleMethodsHead  = def("endpoints.head", "HEAD answers as GET does, without a body", specEndpoints)
	ruleMethodsSlash = def("endpoints.trailing-slash", "/__version__/ is served as /__version__", pyDockerflow)
	ruleMethodsOther = def("endpoints.methods", "other methods than GET and HEAD get 405 with Allow", specEndpoints)
	ruleNoStore      = def("endpoints.no-store", "Cache-Control: no-store on every answer: a cached heartbeat is a lie", specEndpoints)

	ruleRIDEcho    = def("request-id.echo", "a valid X-Request-ID is kept and echoed, so that one ID follows a request through the logs", pyDockerflow)
	ruleRIDInvalid = def("request-id.invalid", "an invalid X-Request-ID (too long, not printable ASCII) is replaced, never echoed", pyDockerflow)

	ruleLogsMozlog  = def("logs.mozlog", "every line is one mozlog JSON object: Timestamp, Type, Logger, Hostname, EnvVersion 2.0, Severity 0-7, Pid, Fields", specMozlog)
	ruleLogsSummary = def("logs.summary", "each request has exactly one request.summary with its rid, method, path, code and t", specMozlog)

	ruleDockerApp        = def("dockerfile.app-dir", "the application lives in /app (WORKDIR /app)", specBuilding)
	ruleDockerUser       = def("dockerfile.user", "it runs as user app (uid 10001, group app gid 10001), not root", specBuilding)
	ruleDockerEntrypoint = def("dockerfile.entrypoint", "ENTRYPOINT and CMD both set: the image runs its service by default and takes other commands", specBuilding)
	ruleDockerVersion    = def("dockerfile.version-json", "version.json is written into /app at build time", specVersion)
)

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
