package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// checker runs the selected rules against one service.
type checker struct {
	p      *prober
	rep    *report
	sel    selection
	budget time.Duration // the probe budget of the heartbeat
	// downCmd is set when --while-down will test the lbheartbeat's
	// independence: a passing heartbeat before it proves nothing.
	downCmd bool
	// hasLogs: --logs was given, and the rules that need them wait for
	// them (logs).
	hasLogs bool
	// version is the version object /__version__ answered, when it is one.
	versionObj map[string]any
	// failing: the heartbeat reported a check at warning or above, whose
	// messages the logs should carry with their IDs.
	failing bool
	// unechoed is the valid request ID the service did not echo, whose
	// summary in the logs would show it was accepted; invalid are the
	// invalid ones sent that it did not echo, whose summaries would show
	// they were kept.
	unechoed string
	invalid  []string
	// errorRID is the request ID of the call of /__error__, when it is
	// served; appRIDs those of the application's routes (--path).
	errorRID string
	appRIDs  []sent
}

// check records a rule's verdict, if the rule is selected.
func (c *checker) check(name, verdict, expected, seen string) {
	if c.sel.runs(name) {
		c.rep.add(name, verdict, expected, seen)
	}
}

// verdict is pass when ok, else fail.
func verdict(ok bool) string {
	if ok {
		return pass
	}
	return fail
}

// The endpoints' paths, as the library declares them.
const (
	pathVersion     = string(dockerflow.PathVersion)
	pathHeartbeat   = string(dockerflow.PathHeartbeat)
	pathLBHeartbeat = string(dockerflow.PathLBHeartbeat)
	pathError       = string(dockerflow.PathError)
)

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// endpoints checks the three endpoints, their methods and headers.
func (c *checker) endpoints(ctx context.Context) (heartbeat, lb answer) {
	version := c.p.do(ctx, "GET", pathVersion)
	c.version(version)
	heartbeat = c.p.do(ctx, "GET", pathHeartbeat)
	c.heartbeat(heartbeat)
	lb = c.p.do(ctx, "GET", pathLBHeartbeat)
	c.check(ruleLBStatus, verdict(lb.err == nil && lb.code == 200), "200", lb.String())
	if lb.err == nil && lb.code == 200 {
		c.check(ruleLBBody, verdict(len(lb.body) == 0), "an empty body", lb.String())
	}
	if lb.err == nil && heartbeat.err == nil {
		c.check(ruleLBLatency, verdict(lb.latency <= c.budget), "within "+c.budget.String(),
			fmt.Sprintf("%v (the heartbeat: %v)", lb.latency.Round(time.Microsecond), heartbeat.latency.Round(time.Microsecond)))
	}
	c.independent(heartbeat, lb, "")

	// An endpoint that did not answer fails each of these rules too: it
	// proves none of them.
	gets := []struct {
		path string
		a    answer
	}{{pathVersion, version}, {pathHeartbeat, heartbeat}, {pathLBHeartbeat, lb}}
	var noStore []string
	for _, g := range gets {
		path, a := g.path, g.a
		if a.err != nil {
			noStore = append(noStore, path+": no answer")
		} else if !hasToken(a.header.Get("Cache-Control"), "no-store") {
			noStore = append(noStore, fmt.Sprintf("%s: %q", path, a.header.Get("Cache-Control")))
		}
	}
	c.check(ruleNoStore, verdict(len(noStore) == 0), "Cache-Control: no-store on every endpoint", seenList(noStore, "all no-store"))

	var head, slash, other []string
	for _, g := range gets {
		path, get := g.path, g.a
		if get.err == nil && get.code == 404 {
			continue // not served: version.status says so
		}
		if get.err != nil {
			head, slash, other = append(head, path+": no answer"), append(slash, path+": no answer"), append(other, path+": no answer")
			continue
		}
		if c.sel.runs(ruleMethodsHead) {
			if h := c.p.do(ctx, "HEAD", path); h.err != nil || !sameAnswer(h.code, get.code) || len(h.body) != 0 {
				head = append(head, fmt.Sprintf("HEAD %s: %s (GET: %d)", path, h, get.code))
			}
		}
		if c.sel.runs(ruleMethodsSlash) {
			if s := c.p.do(ctx, "GET", path+"/"); s.err != nil || !sameAnswer(s.code, get.code) {
				slash = append(slash, fmt.Sprintf("GET %s/: %s (without: %d)", path, s, get.code))
			}
		}
		if c.sel.runs(ruleMethodsOther) {
			if o := c.p.do(ctx, "POST", path); o.err != nil || o.code != 405 || o.header.Get("Allow") == "" {
				other = append(other, fmt.Sprintf("POST %s: %s, Allow %q", path, o, o.header.Get("Allow")))
			}
		}
	}
	c.check(ruleMethodsHead, verdict(len(head) == 0), "HEAD as GET, no body", seenList(head, "as GET"))
	c.check(ruleMethodsSlash, verdict(len(slash) == 0), "the same answer with a trailing slash", seenList(slash, "the same"))
	c.check(ruleMethodsOther, verdict(len(other) == 0), "405 with Allow", seenList(other, "405 with Allow"))
	return heartbeat, lb
}

// sameAnswer reports whether two status codes agree, as a heartbeat that
// changes between two calls may: both success, or both failures. A
// redirect is never the same answer: a load balancer does not follow it,
// and it may lead to another host.
func sameAnswer(a, b int) bool {
	if a/100 == 3 || b/100 == 3 {
		return false
	}
	return (a < 400) == (b < 400) && (a == 404) == (b == 404)
}

func (c *checker) version(a answer) {
	const want = "200 with the version object"
	switch {
	case a.err != nil:
		c.check(ruleVersionStatus, fail, want, a.String())
		return
	case a.code == 404 && bytes.Contains(bytes.ToLower(a.body), []byte("version")):
		c.check(ruleVersionStatus, fail, want, "404: the route answers that there is no version object (version.json is not written into the image)")
		return
	case a.code == 404:
		c.check(ruleVersionStatus, fail, want, "404: no /__version__ route ("+a.String()+")")
		return
	case a.code != 200:
		c.check(ruleVersionStatus, fail, want, a.String())
		return
	}
	var obj map[string]any
	if err := json.Unmarshal(a.body, &obj); err != nil || obj == nil {
		c.check(ruleVersionStatus, fail, want, "200, but no version object: "+a.String())
		return
	}
	c.versionObj = obj
	c.check(ruleVersionStatus, pass, want, "200 with a JSON object")
	ct := a.header.Get("Content-Type")
	c.check(ruleVersionContentType, verdict(strings.HasPrefix(ct, "application/json")), "application/json", ct)

	var bad []string
	str := map[string]string{}
	for _, k := range []string{"source", "version", "commit", "build"} {
		v, ok := obj[k].(string)
		if !ok {
			bad = append(bad, fmt.Sprintf("%s is %v", k, describe(obj[k])))
		}
		str[k] = v
	}
	c.check(ruleVersionFields, verdict(len(bad) == 0), "strings source, version, commit, build", seenList(bad, "all four"))
	switch commit := str["commit"]; {
	case commit == "" || commitRE.MatchString(commit):
		c.check(ruleVersionCommit, pass, "40 hex digits, or empty", fmt.Sprintf("%q", commit))
	case len(commit) >= 7 && isHex(commit):
		c.check(ruleVersionCommit, advised, "40 hex digits, or empty", fmt.Sprintf("%q: an abbreviated hash", commit))
	default:
		c.check(ruleVersionCommit, fail, "40 hex digits, or empty", fmt.Sprintf("%q", commit))
	}
	var urls []string
	if !isURL(str["source"]) {
		urls = append(urls, fmt.Sprintf("source %q", str["source"]))
	}
	if b := str["build"]; b != "" && !isURL(b) {
		urls = append(urls, fmt.Sprintf("build %q", b))
	}
	c.check(ruleVersionURLs, verdict(len(urls) == 0), "source a URL; build a URL or empty", seenList(urls, "URLs"))
}

// expected checks the deployed version object against --expect-commit
// and --expect-version.
func (c *checker) expected(commit, version string) {
	if commit == "" && version == "" {
		return
	}
	var parts []string
	if commit != "" {
		parts = append(parts, "commit "+commit)
	}
	if version != "" {
		parts = append(parts, "version "+version)
	}
	want := strings.Join(parts, ", ")
	if c.versionObj == nil {
		c.check(ruleVersionExpected, fail, want, "no version object")
		return
	}
	gotCommit, _ := c.versionObj["commit"].(string)
	gotVersion, _ := c.versionObj["version"].(string)
	var drift []string
	if commit != "" && (gotCommit == "" || !strings.HasPrefix(gotCommit, commit)) {
		drift = append(drift, fmt.Sprintf("commit %q", gotCommit))
	}
	if version != "" && gotVersion != version {
		drift = append(drift, fmt.Sprintf("version %q", gotVersion))
	}
	c.check(ruleVersionExpected, verdict(len(drift) == 0), want, seenList(drift, "as expected"))
}

func describe(v any) string {
	if v == nil {
		return "missing"
	}
	return fmt.Sprintf("%T %v", v, v)
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// levels are the heartbeat's status words, by level; "unknown" is
// python-dockerflow's word for a level between the named ones.
var levels = map[string]float64{"ok": 0, "debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50, "unknown": -1}

// heartbeatBody is a heartbeat's JSON body, as python-dockerflow shapes it.
type heartbeatBody struct {
	Status  *string
	Checks  map[string]string
	Details map[string]struct {
		Status   string
		Level    *float64
		Messages map[string]string
	}
}

// parseHeartbeat reads a heartbeat's body; ok is false when it is not a
// JSON object with a status string.
func parseHeartbeat(b []byte) (body heartbeatBody, ok bool) {
	err := json.Unmarshal(b, &body)
	return body, err == nil && body.Status != nil
}

func (c *checker) heartbeat(a answer) {
	if a.err != nil {
		c.check(ruleHeartbeatLatency, fail, "an answer within "+c.budget.String(), a.String())
		c.check(ruleHeartbeatStatus, fail, "200, or 5xx on error", a.String())
		return
	}
	c.check(ruleHeartbeatLatency, verdict(a.latency <= c.budget), "within "+c.budget.String(), a.latency.Round(time.Microsecond).String())
	codeOK := a.code == 200 || (a.code >= 500 && a.code <= 599)
	body, ok := parseHeartbeat(a.body)
	if !ok {
		// The contract asks for a status code; a JSON body is what
		// python-dockerflow adds, and this project recommends.
		c.check(ruleHeartbeatBody, advised, `{"status":"<level>"...}`, "no JSON object with a status: "+a.String())
		c.check(ruleHeartbeatStatus, verdict(codeOK), "200, or 5xx on error", fmt.Sprint(a.code))
		return
	}
	status := *body.Status
	var bad []string
	level, known := levels[status]
	if !known {
		bad = append(bad, fmt.Sprintf("status %q is no level", status))
	}
	for name, s := range body.Checks {
		if _, ok := levels[s]; !ok {
			bad = append(bad, fmt.Sprintf("checks.%s %q is no level", name, s))
		}
	}
	for name, d := range body.Details {
		l, ok := levels[d.Status]
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("details.%s: status %q is no level", name, d.Status))
		case d.Level == nil:
			bad = append(bad, fmt.Sprintf("details.%s: no level", name))
		case l >= 0 && *d.Level != l:
			bad = append(bad, fmt.Sprintf("details.%s: status %q with level %v", name, d.Status, *d.Level))
		}
	}
	sort.Strings(bad)
	c.check(ruleHeartbeatBody, verdict(len(bad) == 0), "status, checks and details with known levels", seenList(bad, "status "+status))
	if len(body.Checks) > 0 || len(body.Details) > 0 {
		c.check(ruleHeartbeatDetails, fail, "no checks or details in the body", fmt.Sprintf("%d checks and %d details shown", len(body.Checks), len(body.Details)))
	} else {
		c.check(ruleHeartbeatDetails, pass, "no checks or details in the body", "status only")
	}
	c.failing = known && level >= levels["warning"]
	switch {
	case !known || level < 0: // no level to agree with
		c.check(ruleHeartbeatStatus, verdict(codeOK), "200, or 5xx on error", fmt.Sprintf("%d with status %q", a.code, status))
	default:
		agree := (level < 40 && a.code == 200) || (level >= 40 && a.code >= 500 && a.code <= 599)
		c.check(ruleHeartbeatStatus, verdict(agree), "200 below error, 5xx at error and above", fmt.Sprintf("%d with status %q", a.code, status))
	}
}

// degraded reports whether a heartbeat says a backend is down: a failure
// status code, no answer, or a 200 whose body reports a level above ok (a
// service may keep 200 by design while a dependency is down, and say so).
func degraded(a answer) bool {
	if a.err != nil || a.code >= 500 {
		return true
	}
	body, ok := parseHeartbeat(a.body)
	if !ok {
		return false
	}
	l, known := levels[*body.Status]
	return !known || l < 0 || l >= levels["warning"]
}

// independent checks that the lbheartbeat stays up while the heartbeat
// fails; during names the backend outage, when one was caused.
func (c *checker) independent(heartbeat, lb answer, during string) {
	hbFails := degraded(heartbeat)
	lbFails := lb.err != nil || lb.code != 200
	seen := fmt.Sprintf("heartbeat %s, lbheartbeat %s%s", short(heartbeat), short(lb), during)
	switch {
	case hbFails && lbFails:
		c.check(ruleLBIndependent, fail, "lbheartbeat 200 while the heartbeat fails", seen)
	case hbFails:
		c.check(ruleLBIndependent, pass, "lbheartbeat 200 while the heartbeat fails", seen)
	case during != "":
		c.check(ruleLBIndependent, warn, "the heartbeat to fail during --while-down", seen+": the command broke nothing the heartbeat checks")
	case !c.downCmd:
		c.check(ruleLBIndependent, pass, "lbheartbeat 200 while the heartbeat fails", seen+": not exercised, as the heartbeat passes (--while-down breaks a backend to test it)")
	}
}

func short(a answer) string {
	if a.err != nil {
		return "no answer"
	}
	return fmt.Sprint(a.code)
}

func hasToken(header, token string) bool {
	for _, t := range strings.Split(header, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

func seenList(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return strings.Join(items, "; ")
}
