package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxRequests bounds what one run sends: a checker must not load the
// service it checks.
const maxRequests = 60

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

// answer is one response as the checker saw it.
type answer struct {
	code    int
	header  http.Header
	body    []byte
	rid     string // the request ID sent
	latency time.Duration
	err     error // no answer: refused, timed out, cut
}

// sent is a request the checker made, for matching its summary in the
// logs.
type sent struct {
	rid, method, path string
	code              int
}

// prober sends the checker's requests: each with a timeout, each with a
// request ID of the run's own, never more than maxRequests.
type prober struct {
	base    *url.URL
	client  *http.Client
	timeout time.Duration
	run     string // the run's request-ID prefix

	mu   sync.Mutex
	n    int
	sent []sent
}

func newProber(base *url.URL, timeout time.Duration) *prober {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &prober{
		base: base, timeout: timeout, run: "dockerflow-check-" + hex.EncodeToString(b[:]),
		client: &http.Client{
			// A redirect is an answer to check, not to follow.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

var errBudget = errors.New("the checker's request budget is spent")

// do sends method path with the run's next request ID (unless header sets
// X-Request-ID itself) and the given header pairs.
func (p *prober) do(ctx context.Context, method, path string, header ...string) answer {
	p.mu.Lock()
	if p.n >= maxRequests {
		p.mu.Unlock()
		return answer{err: errBudget}
	}
	p.n++
	rid := fmt.Sprintf("%s-%d", p.run, p.n)
	p.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	u := *p.base // a base with a path (a service behind a prefix) keeps it
	u.Path, u.RawPath, u.RawQuery = strings.TrimSuffix(u.Path, "/")+path, "", ""
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("User-Agent", "dockerflow-check")
	req.Header.Set("X-Request-ID", rid)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		return answer{err: err, latency: time.Since(start)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	a := answer{code: resp.StatusCode, header: resp.Header, body: body, rid: req.Header.Get("X-Request-ID"), latency: time.Since(start), err: err}
	if req.Header.Get("X-Request-ID") == rid {
		p.mu.Lock()
		p.sent = append(p.sent, sent{rid: rid, method: method, path: u.EscapedPath(), code: resp.StatusCode})
		p.mu.Unlock()
	}
	return a
}

// requests returns what was sent under the run's request IDs.
func (p *prober) requests() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sent(nil), p.sent...)
}

// seen describes an answer for a report.
func (a answer) String() string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	s := fmt.Sprintf("%d", a.code)
	if len(a.body) > 0 {
		s += " " + string(a.body[:min(len(a.body), 100)])
	}
	return s
}

// reachable asks /__lbheartbeat__ until it answers 200, for up to wait
// (once when wait is 0), outside the request budget. It returns an error
// only when nothing ever answered: the service cannot be reached (refused,
// no such host), which is no verdict on any rule.
func (p *prober) reachable(ctx context.Context, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for try := 1; ; try++ {
		code, err := p.ping(ctx, try)
		if err != nil && !refused(err) {
			return nil // it accepted the connection: the rules say what is wrong
		}
		if err == nil && (code == http.StatusOK || wait == 0) {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				return nil // it answers, if not 200: the rules say what is wrong
			}
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(250*time.Millisecond, time.Until(deadline)+time.Millisecond)):
		}
	}
}

// ping sends one GET /__lbheartbeat__ under a request ID of the run that
// no rule counts.
func (p *prober) ping(ctx context.Context, try int) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	u := *p.base
	u.Path, u.RawPath, u.RawQuery = strings.TrimSuffix(u.Path, "/")+pathLBHeartbeat, "", ""
	req, err := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", "dockerflow-check")
	req.Header.Set("X-Request-ID", fmt.Sprintf("%s-wait-%d", p.run, try))
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	return resp.StatusCode, nil
}

// refused reports whether err says nothing took the connection: refused,
// no such host, no route: the service is not there at all.
func refused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
