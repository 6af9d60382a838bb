package dockerflow

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// healthcheckTimeout bounds a healthcheck command, connection and answer.
const healthcheckTimeout = 2 * time.Second

// Healthcheck is a service's "healthcheck" subcommand, for images without
// a shell or curl (FROM scratch, distroless), where Docker's HEALTHCHECK
// runs the service's own binary:
//
//	func main() {
//		if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
//			os.Exit(dockerflow.Healthcheck(os.Args[2:]))
//		}
//		...
//	}
//
//	HEALTHCHECK CMD ["/app/service", "healthcheck"]
//
// It GETs http://127.0.0.1:$PORT/__lbheartbeat__ (args "heartbeat":
// /__heartbeat__; "version": /__version__) and returns 0 on a 200 answer
// within 2 s, else 1, after one line on stderr saying why. It follows no
// redirect: any answer but 200 is a failure.
func Healthcheck(args []string) int {
	return healthcheck(context.Background(), os.LookupEnv, args, os.Stderr)
}

func healthcheck(ctx context.Context, lookup func(string) (string, bool), args []string, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "healthcheck: "+format+"\n", a...)
		return 1
	}
	path := PathLBHeartbeat
	if len(args) > 0 {
		switch args[0] {
		case "lbheartbeat":
		case "heartbeat":
			path = PathHeartbeat
		case "version":
			path = PathVersion
		default:
			return fail("unknown endpoint %q: want lbheartbeat (the default), heartbeat or version", args[0])
		}
	}
	addr, err := ListenAddr(lookup, "")
	if err != nil {
		return fail("%v", err)
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fail("cannot read the port of %q: %v", addr, err)
	}
	url := "http://" + net.JoinHostPort("127.0.0.1", port) + string(path)
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fail("%v", err)
	}
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		// A redirect is an answer, not health: a 302 to another server
		// that answers 200 says nothing of this one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		if loc := resp.Header.Get("Location"); loc != "" {
			return fail("GET %s: %s (a redirect to %s; redirects are not followed)", url, resp.Status, Redact(capField(loc, 256)))
		}
		return fail("GET %s: %s", url, resp.Status)
	}
	return 0
}
