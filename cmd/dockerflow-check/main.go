package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"
)

const usage = `dockerflow-check checks a running service against the Dockerflow contract.

Usage:
  dockerflow-check [flags] URL
  docker logs -f svc | dockerflow-check --logs - URL
  dockerflow-check --dockerfile Dockerfile [URL]
  dockerflow-check --manifests k8s/ [URL]

Under --profile dockerflow (the default) only what Mozilla's published
Dockerflow contract requires (its README, the version object, the
Dockerfile requirements, the mozlog standard, and python-dockerflow's
behaviour where they leave a question open) can fail; this project's
stricter recommendations warn, with their reason. --profile strict fails
them too. --list shows every rule and its source.

It sends at most %d requests, each with a timeout, and exits 0 when no
rule failed, 1 when one did, 2 on a usage error or when the service
cannot be reached.

A backend down, to check the lbheartbeat's independence and the
heartbeat's bound:
  --while-down 'docker stop redis' --restore 'docker start redis'   stopped: refused at once
  --while-down 'docker pause redis' --restore 'docker unpause redis' silent: accepts, never answers
  --while-down 'kill -STOP $(pidof redis-server)' --restore 'kill -CONT $(pidof redis-server)'
A silent backend finds what a stopped one cannot: a check that waits on
it past the probe's timeout. --restore runs whatever happens, Ctrl-C
included.

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	format       string
	profile      profile
	logs         string
	logsWait     time.Duration
	dockerfile   string
	manifests    string
	whileDown    string
	restore      string
	timeout      time.Duration
	budget       time.Duration
	wait         time.Duration
	expectCommit string
	expectVer    string
	paths        []string
	grpc         string
	sel          selection
	list         bool
}

// pathList is --path, which may be given more than once.
type pathList []string

func (p *pathList) String() string { return strings.Join(*p, ",") }
func (p *pathList) Set(v string) error {
	if !strings.HasPrefix(v, "/") {
		return fmt.Errorf("%q is not a path starting with /", v)
	}
	*p = append(*p, v)
	return nil
}

func parse(args []string, stderr io.Writer) (options, []string, error) {
	var o options
	fs := flag.NewFlagSet("dockerflow-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, usage, maxRequests)
		fs.PrintDefaults()
	}
	prof := fs.String("profile", string(profileDockerflow), "dockerflow: only the published contract fails, this project's recommendations warn; strict: they fail too")
	fs.StringVar(&o.format, "format", "text", "the report's format: text, json or junit (JUnit XML, one testcase per rule, for CI)")
	asJSON := fs.Bool("json", false, "the same as --format json")
	fs.StringVar(&o.logs, "logs", "", "the service's log: a file (followed as it grows) or - for stdin; checks every line is mozlog and each request sent has one request.summary")
	fs.DurationVar(&o.logsWait, "logs-wait", 5*time.Second, "how long to wait for the summaries of the requests sent")
	fs.StringVar(&o.dockerfile, "dockerfile", "", "a Dockerfile to check against the container rules")
	fs.StringVar(&o.manifests, "manifests", "", "Kubernetes manifests to check: a YAML file, or a folder of them (multi-document files too)")
	fs.StringVar(&o.whileDown, "while-down", "", "a shell command that breaks a backend (docker stop redis, docker pause redis); the lbheartbeat is checked again while the heartbeat fails")
	fs.StringVar(&o.restore, "restore", "", "a shell command that mends what --while-down broke (docker start redis); run whatever happens, on failure and Ctrl-C too")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Second, "the timeout of each request")
	fs.DurationVar(&o.budget, "budget", time.Second, "how fast the heartbeat must answer (Kubernetes' default probe timeout)")
	fs.DurationVar(&o.wait, "wait", 0, "wait up to this long for /__lbheartbeat__ to answer 200 before checking (a service just started)")
	fs.StringVar(&o.expectCommit, "expect-commit", "", "the commit the deployed version object must name (a full hash, or a prefix of at least 7)")
	fs.StringVar(&o.expectVer, "expect-version", "", "the version the deployed version object must name")
	fs.Var((*pathList)(&o.paths), "path", "a route of the application to request (GET), whose summary the logs must have; may be repeated")
	fs.StringVar(&o.grpc, "grpc", "", "a gRPC server's address (host:port), to check its grpc.health.v1 service")
	only := fs.String("rule", "", "run only these rules or groups, comma-separated (version, heartbeat.latency...)")
	skip := fs.String("skip", "", "skip these rules or groups, comma-separated")
	fs.BoolVar(&o.list, "list", false, "list the rules and exit")
	// Flags may come after the URL too: parse again after each
	// positional argument.
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	o.sel = selection{only: split(*only), skip: split(*skip)}
	if bad := o.sel.unknown(); len(bad) > 0 {
		return o, nil, fmt.Errorf("no rule or group %s (--list shows them)", strings.Join(bad, ", "))
	}
	if o.timeout <= 0 || o.budget <= 0 || o.logsWait < 0 || o.wait < 0 {
		return o, nil, errors.New("--timeout and --budget must be positive, --logs-wait and --wait not negative")
	}
	switch o.profile = profile(*prof); o.profile {
	case profileDockerflow, profileStrict:
	default:
		return o, nil, fmt.Errorf("--profile %q: want dockerflow or strict", *prof)
	}
	if *asJSON {
		o.format = "json"
	}
	switch o.format {
	case "text", "json", "junit":
	default:
		return o, nil, fmt.Errorf("--format %q: want text, json or junit", o.format)
	}
	if o.restore != "" && o.whileDown == "" {
		return o, nil, errors.New("--restore mends what --while-down breaks: give both")
	}
	if c := o.expectCommit; c != "" && (len(c) < 7 || len(c) > 40 || !isHex(c)) {
		return o, nil, fmt.Errorf("--expect-commit %q: want a git hash, or a prefix of at least 7 hex digits", c)
	}
	return o, rest, nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// run is the command: its exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, rest, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "dockerflow-check:", err)
		return 2
	}
	if o.list {
		for _, n := range ruleNames() {
			fmt.Fprintf(stdout, "%-26s %s (%s)\n", n, rules[n].reason, rules[n].from)
		}
		return 0
	}
	if len(rest) > 1 || (len(rest) == 0 && o.dockerfile == "" && o.manifests == "" && o.grpc == "") {
		fmt.Fprintln(stderr, "dockerflow-check: want one URL (the service's base, http://127.0.0.1:8000), or --dockerfile, --manifests or --grpc")
		return 2
	}
	if len(rest) == 0 && (o.logs != "" || o.whileDown != "" || len(o.paths) > 0 || o.expectCommit != "" || o.expectVer != "") {
		fmt.Fprintln(stderr, "dockerflow-check: --logs, --while-down, --path and --expect-* need the service's URL")
		return 2
	}
	rep := &report{Profile: o.profile}
	c := &checker{rep: rep, sel: o.sel, budget: o.budget, downCmd: o.whileDown != ""}
	var targets []string
	if o.dockerfile != "" {
		f, err := os.Open(o.dockerfile)
		if err != nil {
			fmt.Fprintln(stderr, "dockerflow-check: --dockerfile:", err)
			return 2
		}
		c.dockerfile(f, o.dockerfile)
		f.Close()
		targets = append(targets, o.dockerfile)
	}
	if o.manifests != "" {
		docs, err := readManifests(o.manifests)
		if err != nil {
			fmt.Fprintln(stderr, "dockerflow-check: --manifests:", err)
			return 2
		}
		c.manifests(docs)
		targets = append(targets, o.manifests)
	}
	if o.grpc != "" {
		if err := c.grpcHealth(ctx, o.grpc, o.timeout); err != nil {
			fmt.Fprintln(stderr, "dockerflow-check: --grpc:", err)
			return 2
		}
		targets = append(targets, "grpc://"+o.grpc)
	}
	if len(rest) == 1 {
		base, err := url.Parse(rest[0])
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
			fmt.Fprintf(stderr, "dockerflow-check: %q is not an http or https URL\n", rest[0])
			return 2
		}
		targets = append(targets, base.String())
		c.p = newProber(base, o.timeout)
		if err := c.p.reachable(ctx, o.wait); err != nil {
			fmt.Fprintf(stderr, "dockerflow-check: %s cannot be reached: %v\n", base, err)
			return 2
		}
		var logs *logTail
		if o.logs != "" {
			t, closeLogs, err := openLogs(o.logs, stdin, c.p.run+"-", invalidIDs(c.p.run)...)
			if err != nil {
				fmt.Fprintln(stderr, "dockerflow-check:", err)
				return 2
			}
			defer closeLogs()
			logs = t
		}
		c.hasLogs = logs != nil
		_, lb := c.endpoints(ctx)
		c.expected(o.expectCommit, o.expectVer)
		c.requestIDs(ctx, lb)
		c.errorEndpoint(ctx)
		c.appRoutes(ctx, o.paths)
		if o.whileDown != "" && c.sel.runs(ruleLBIndependent) {
			c.whileDown(ctx, o.whileDown, o.restore, stderr)
		}
		if logs != nil {
			reqs := c.p.requests()
			waitSummaries(logs, reqs, o.logsWait)
			c.logs(logs.close(), reqs)
		}
	}
	rep.Target = strings.Join(targets, " ")
	switch o.format {
	case "json":
		err = rep.writeJSON(stdout)
	case "junit":
		err = rep.writeJUnit(stdout)
	default:
		err = rep.writeTable(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dockerflow-check:", err)
		return 2
	}
	if rep.failed() {
		return 1
	}
	return 0
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("0123456789abcdef", rune(s[i])) {
			return false
		}
	}
	return true
}
