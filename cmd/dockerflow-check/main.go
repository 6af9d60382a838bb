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

It sends at most %d requests, each with a timeout, and exits 0 when no
rule failed, 1 when one did, 2 on a usage error.

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	json       bool
	logs       string
	logsWait   time.Duration
	dockerfile string
	whileDown  string
	timeout    time.Duration
	budget     time.Duration
	sel        selection
	list       bool
}

func parse(args []string, stderr io.Writer) (options, []string, error) {
	var o options
	fs := flag.NewFlagSet("dockerflow-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, usage, maxRequests)
		fs.PrintDefaults()
	}
	fs.BoolVar(&o.json, "json", false, "write the report as JSON (for CI)")
	fs.StringVar(&o.logs, "logs", "", "the service's log: a file (followed as it grows) or - for stdin; checks every line is mozlog and each request sent has one request.summary")
	fs.DurationVar(&o.logsWait, "logs-wait", 5*time.Second, "how long to wait for the summaries of the requests sent")
	fs.StringVar(&o.dockerfile, "dockerfile", "", "a Dockerfile to check against the container rules")
	fs.StringVar(&o.whileDown, "while-down", "", "a shell command that breaks a backend (docker stop redis); the lbheartbeat is checked again while the heartbeat fails")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Second, "the timeout of each request")
	fs.DurationVar(&o.budget, "budget", time.Second, "how fast the heartbeat must answer (Kubernetes' default probe timeout)")
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
	if o.timeout <= 0 || o.budget <= 0 || o.logsWait < 0 {
		return o, nil, errors.New("--timeout and --budget must be positive, --logs-wait not negative")
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
			fmt.Fprintf(stdout, "%-26s %s\n", n, rules[n].reason)
		}
		return 0
	}
	if len(rest) > 1 || (len(rest) == 0 && o.dockerfile == "") {
		fmt.Fprintln(stderr, "dockerflow-check: want one URL (the service's base, http://127.0.0.1:8000), or --dockerfile")
		return 2
	}
	if len(rest) == 0 && (o.logs != "" || o.whileDown != "") {
		fmt.Fprintln(stderr, "dockerflow-check: --logs and --while-down need the service's URL")
		return 2
	}
	rep := &report{}
	c := &checker{rep: rep, sel: o.sel, budget: o.budget, downCmd: o.whileDown != ""}
	if o.dockerfile != "" {
		f, err := os.Open(o.dockerfile)
		if err != nil {
			fmt.Fprintln(stderr, "dockerflow-check: --dockerfile:", err)
			return 2
		}
		c.dockerfile(f, o.dockerfile)
		f.Close()
		rep.Target = o.dockerfile
	}
	if len(rest) == 1 {
		base, err := url.Parse(rest[0])
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
			fmt.Fprintf(stderr, "dockerflow-check: %q is not an http or https URL\n", rest[0])
			return 2
		}
		rep.Target = strings.TrimPrefix(rep.Target+" "+base.String(), " ")
		c.p = newProber(base, o.timeout)
		var logs *logTail
		if o.logs != "" {
			t, closeLogs, err := openLogs(o.logs, stdin, c.p.run+"-")
			if err != nil {
				fmt.Fprintln(stderr, "dockerflow-check:", err)
				return 2
			}
			defer closeLogs()
			logs = t
		}
		_, lb := c.endpoints(ctx)
		c.requestIDs(ctx, lb)
		if o.whileDown != "" && c.sel.runs(ruleLBIndependent) {
			c.whileDown(ctx, o.whileDown, stderr)
		}
		if logs != nil {
			reqs := c.p.requests()
			waitSummaries(logs, reqs, o.logsWait)
			c.logs(logs.close(), reqs)
		}
	}
	if o.json {
		err = rep.writeJSON(stdout)
	} else {
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
