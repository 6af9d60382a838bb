package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/faulttest"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
	"golang.org/x/net/http2/hpack"
)

// h2cServerEnv makes the test binary, run again, the h2c server of
// TestH2CDrainLosesNothing: "native" (net/http's own HTTP/2 cleartext,
// http.Protocols) or "xnet" (golang.org/x/net/http2/h2c, which takes the
// connection over from net/http).
const h2cServerEnv = "DOCKERFLOW_TEST_H2C_SERVER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(h2cServerEnv); mode != "" {
		os.Exit(serveH2C(mode, os.Getenv("ADDR")))
	}
	os.Exit(m.Run())
}

// serveH2C serves HTTP/2 cleartext on addr, each answer taking 20 ms,
// under Service.Run (a drain of 1.5 s: the test's checks while draining
// have that long, on a slow machine too), logging mozlog to stdout; it
// returns the exit status.
func serveH2C(mode, addr string) int {
	svc, err := dockerflow.New(dockerflow.Config{DrainDelay: 1500 * time.Millisecond, ShutdownTimeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var h http.Handler = dockerflowhttp.Wrap(svc, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		_, _ = io.WriteString(w, "ok")
	}))
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	switch mode {
	case "native":
		protocols.SetUnencryptedHTTP2(true)
	case "xnet":
		h = h2c.NewHandler(h, &http2.Server{})
	}
	srv := &http.Server{Addr: addr, Handler: h, Protocols: &protocols, ErrorLog: nil}
	if err := svc.Run(context.Background(), srv); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// HTTP/2 cleartext clients lose no request when the service stops (issue
// 33: with keep-alive h2c load, requests sent 20-53 ms before the server
// stopped accepting were reset with no answer, 26 in one run, 6 in
// another). While draining, every answer ends its HTTP/2 connection with
// a GOAWAY (the HTTP/2 meaning of Connection: close), and stopping waits
// for every request in flight, on connections net/http knows and on those
// x/net's h2c took over. A request lost is one the server began (its
// summary is logged) whose client got no answer; one the server never
// saw (dialled as its listener closed) is not.
func TestH2CDrainLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("five runs of 30 clients per mode")
	}
	for _, mode := range []string{"native", "xnet"} {
		t.Run(mode, func(t *testing.T) {
			for run := range 5 {
				lost, answered, goaway := h2cRun(t, mode, run)
				t.Logf("run %d: %d answered, %d lost; a drain-time answer was followed by a GOAWAY: %v", run, answered, lost, goaway)
				if lost > 0 {
					t.Errorf("run %d: %d requests lost", run, lost)
				}
				if !goaway {
					t.Errorf("run %d: no GOAWAY after an answer while draining", run)
				}
				if answered == 0 {
					t.Errorf("run %d: nothing answered", run)
				}
			}
		})
	}
}

// h2cRun starts the server, loads it with 30 h2c clients, sends SIGTERM,
// and returns how many requests were lost and answered, and whether an
// answer while draining was followed by a GOAWAY.
func h2cRun(t *testing.T, mode string, run int) (lost, answered int, goaway bool) {
	addr := faulttest.FreeAddr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), h2cServerEnv+"="+mode, "ADDR="+addr)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
	}()

	var protocols http.Protocols
	protocols.SetUnencryptedHTTP2(true)
	newClient := func() *http.Client {
		return &http.Client{Transport: &http.Transport{Protocols: &protocols}, Timeout: 30 * time.Second}
	}
	// get sends GET path with the request ID rid; it reports whether it
	// got an answer, and whether it was sent on a new connection.
	get := func(c *http.Client, path, rid string) (code int, fresh bool, err error) {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { fresh = !info.Reused }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", "http://"+addr+path, nil)
		req.Header.Set("X-Request-Id", rid)
		resp, err := c.Do(req)
		if err != nil {
			return 0, fresh, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, fresh, err
	}
	probe := newClient()
	deadline := time.Now().Add(30 * time.Second) // a hang guard
	for {
		if code, _, err := get(probe, "/__lbheartbeat__", fmt.Sprintf("probe-%d", run)); err == nil && code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s server did not start", mode)
		}
		time.Sleep(20 * time.Millisecond)
	}

	var (
		mu      sync.Mutex
		failed  = map[string]bool{} // requests the client got no answer for
		ok      atomic.Int64
		gone    atomic.Bool // the server is gone: clients stop
		clients sync.WaitGroup
	)
	for c := range 30 {
		clients.Add(1)
		go func() {
			defer clients.Done()
			client := newClient()
			for seq := 0; !gone.Load(); seq++ {
				rid := fmt.Sprintf("run%d-client%d-%d", run, c, seq)
				if _, _, err := get(client, "/work", rid); err != nil {
					mu.Lock()
					failed[rid] = true
					mu.Unlock()
					if errorsIsRefused(err) {
						return // the listener is closed: a load balancer would have moved on
					}
					continue
				}
				ok.Add(1)
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// While draining (the probe sees the 503), an answer ends its HTTP/2
	// connection with a GOAWAY: read on a connection of its own, frame by
	// frame, rather than guessed from whether a client's next request
	// raced the frame to reuse the connection.
	for code := 0; code != http.StatusServiceUnavailable; {
		code, _, _ = get(probe, "/__lbheartbeat__", fmt.Sprintf("probe-%d-drain", run))
		if time.Now().After(deadline) {
			t.Fatal("no 503 while draining")
		}
	}
	goaway, err := goawayAfterAnswer(addr, "/work")
	if err != nil {
		t.Errorf("run %d: reading the frames of an answer while draining: %v", run, err)
	}
	// The GOAWAY came with the answer, not with the stop (which sends one
	// too): the service still drains after it.
	if code, _, err := get(newClient(), "/__lbheartbeat__", fmt.Sprintf("probe-%d-after", run)); goaway && (err != nil || code != http.StatusServiceUnavailable) {
		t.Errorf("run %d: after the GOAWAY, /__lbheartbeat__: %d %v, want 503: the GOAWAY came with the stop, not with the answer", run, code, err)
	}

	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the server exited: %v", err)
		}
	case <-time.After(30 * time.Second): // a hang guard
		t.Fatal("the server did not exit")
	}
	gone.Store(true)
	clients.Wait()

	logged := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(stdout.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Type   string
			Fields struct{ Rid string }
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Type == "request.summary" {
			logged[line.Fields.Rid] = true
		}
	}
	for rid := range failed {
		if logged[rid] {
			lost++
			t.Logf("lost: %s", rid)
		}
	}
	return lost, int(ok.Load()), goaway
}

// errorsIsRefused reports whether err says the connection was refused.
func errorsIsRefused(err error) bool {
	var op *net.OpError
	for e := err; e != nil; {
		if o, isOp := e.(*net.OpError); isOp {
			op = o
		}
		u, isWrap := e.(interface{ Unwrap() error })
		if !isWrap {
			break
		}
		e = u.Unwrap()
	}
	return op != nil && op.Op == "dial" || strings.Contains(err.Error(), "connection refused")
}

// goawayAfterAnswer sends GET path on a new HTTP/2 cleartext connection
// (prior knowledge), reads the answer's frames to its end, and then the
// frames that follow: it reports whether a GOAWAY came before the
// connection closed (a hang guard of 10 s bounds the wait).
func goawayAfterAnswer(addr, path string) (bool, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, http2.ClientPreface); err != nil {
		return false, err
	}
	fr := http2.NewFramer(conn, conn)
	if err := fr.WriteSettings(); err != nil {
		return false, err
	}
	var hdr bytes.Buffer
	enc := hpack.NewEncoder(&hdr)
	for _, f := range [][2]string{{":method", "GET"}, {":scheme", "http"}, {":authority", addr}, {":path", path}} {
		_ = enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]})
	}
	if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hdr.Bytes(), EndStream: true, EndHeaders: true}); err != nil {
		return false, err
	}
	answered := false
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			if answered && (err == io.EOF || errors.Is(err, net.ErrClosed)) {
				return false, nil // closed without a GOAWAY
			}
			return false, err
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				_ = fr.WriteSettingsAck()
			}
		case *http2.GoAwayFrame:
			return true, nil
		case *http2.HeadersFrame, *http2.DataFrame:
			if f.Header().StreamID == 1 && f.Header().Flags.Has(http2.FlagDataEndStream) {
				answered = true
			}
		}
	}
}
