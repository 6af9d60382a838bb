package dockerflowtest

// What real clients do at the edges of HTTP, over real connections.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

func testClients(t *testing.T, nh NewHandler) {
	// panic(http.ErrAbortHandler) is net/http's quiet abort: the
	// connection is cut, nothing is printed, and the summary says the
	// client went away, without an error or a traceback.
	t.Run("abort-handler", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, nil)
		srv := httptest.NewUnstartedServer(h.h)
		var serverLog strings.Builder
		srv.Config.ErrorLog = logTo(&serverLog)
		srv.Start()
		defer srv.Close()
		resp, err := http.Get(srv.URL + "/abort")
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET /abort answered %d; want the connection cut", resp.StatusCode)
		}
		s := waitSummary(t, h)
		if s.Level != dockerflow.LevelInfo || s.Error != "" || s.Traceback != "" || s.Code != 499 || s.Errno != 499 ||
			!strings.Contains(s.Msg, "client went away") {
			t.Errorf("summary %+v; want info, code 499, a message that the client went away, no error or traceback", s)
		}
		if strings.Contains(serverLog.String(), "panic") {
			t.Errorf("net/http logged: %s", serverLog.String())
		}
	})
	// A panic once part of the body is out cannot become a 500: the
	// connection is cut, so that the client sees the answer is not whole,
	// and the summary is an error with the status sent.
	t.Run("panic-mid-body", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{}, nil)
		srv := httptest.NewUnstartedServer(h.h)
		srv.Config.ErrorLog = logTo(io.Discard)
		srv.Start()
		defer srv.Close()
		// The half already written may not have left (a writer between
		// that cannot flush): then the client gets nothing at all.
		if resp, err := http.Get(srv.URL + "/panic-mid-body"); err == nil {
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil {
				t.Errorf("%d %q read whole: a truncated answer must not look complete", resp.StatusCode, body)
			}
		}
		s := waitSummary(t, h)
		if s.Level != dockerflow.LevelError || s.Code != 200 || s.Errno != 500 || s.Error != "boom mid-body" || s.Traceback == "" {
			t.Errorf("summary %+v; want an error with code 200 (sent), errno 500 and the stack", s)
		}
	})
	// A probe that sends its request and closes its side (printf … | nc,
	// HAProxy's tcp-check send): net/http ends the request's context at
	// once, but the client still reads the answer.
	t.Run("half-closed-heartbeat", func(t *testing.T) {
		started := make(chan struct{}, 1)
		slow := dockerflow.Check{Name: "db", Func: func(ctx context.Context) []dockerflow.Message {
			started <- struct{}{}
			select { // long enough for the half-close to arrive first
			case <-time.After(200 * time.Millisecond):
			case <-ctx.Done():
				return []dockerflow.Message{dockerflow.Error("x.E1", "cancelled")}
			}
			return nil
		}}
		h := start(t, nh, dockerflow.Config{}, nil, slow)
		srv := httptest.NewServer(h.h)
		defer srv.Close()
		for _, path := range []string{"/__heartbeat__", "/__lbheartbeat__", "/__version__"} {
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			conn.SetDeadline(time.Now().Add(30 * time.Second)) // a hang guard
			if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.0\r\nHost: x\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			conn.(*net.TCPConn).CloseWrite()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("%s, half-closed: %v", path, err)
			}
			body, _ := io.ReadAll(resp.Body)
			conn.Close()
			want := map[string]int{"/__heartbeat__": 200, "/__lbheartbeat__": 200, "/__version__": 404}[path]
			if resp.StatusCode != want {
				t.Errorf("%s, half-closed: %d %s, want %d", path, resp.StatusCode, body, want)
			}
			if path == "/__heartbeat__" {
				<-started
				if string(body) != `{"status":"ok"}` {
					t.Errorf("%s, half-closed: body %s", path, body)
				}
			}
		}
		for _, s := range h.log.Summaries() {
			if s.Path == "/__heartbeat__" && (s.Code != 200 || s.Level != dockerflow.LevelInfo) {
				t.Errorf("the half-closed heartbeat's summary: %+v", s)
			}
		}
		for _, ev := range h.log.Events("") {
			if strings.Contains(ev.Msg, "cancelled") {
				t.Errorf("the check was cancelled with the request: %+v", ev)
			}
		}
	})
}

// serverOn is an *http.Server serving on a listener it was given, as a
// dockerflow.Server.
type serverOn struct {
	*http.Server
	l net.Listener
}

func (s serverOn) ListenAndServe() error { return s.Serve(s.l) }

// testStopping: Service.Run stopping with an endless answer and a
// hijacked connection in flight (issue 33: the first was logged 200,
// errno 0, and not counted as cut; the second was announced as waited
// for, then cut). Each is logged as cut and counted, and the log says
// what is waited for.
func testStopping(t *testing.T, nh NewHandler) {
	h := start(t, nh, dockerflow.Config{DrainDelay: -1, ShutdownTimeout: 300 * time.Millisecond}, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := serverOn{&http.Server{Handler: h.h, ErrorLog: logTo(io.Discard)}, l}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- h.svc.Run(ctx, srv) }()
	base := "http://" + l.Addr().String()

	// A writer between that hides Flush or Hijack (a middleware's own
	// wrapper) leaves nothing to stream or hijack: those parts are then
	// skipped.
	resp, err := http.Get(base + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := bufio.NewReader(resp.Body)
	_, err1 := body.ReadString('\n')
	_, _ = body.ReadString('\n') // the blank line ending the event
	_, err2 := body.ReadString('\n')
	streaming := err1 == nil && err2 == nil
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // a hang guard
	_, _ = io.WriteString(conn, "GET /hijack HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	status, err := bufio.NewReader(conn).ReadString('\n')
	hijacking := err == nil && strings.HasPrefix(status, "HTTP/1.1 101")
	if !streaming || !hijacking {
		t.Logf("streaming %v, hijacking %v: the writer the app gets hides Flush or Hijack", streaming, hijacking)
	}
	if !hijacking {
		conn.Close()
	}

	stop()
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second): // a hang guard
		t.Fatal("Run did not return")
	}
	var stream, hijack *dockerflow.Summary
	deadline := time.Now().Add(30 * time.Second) // a hang guard: the stream's handler ends on its closed connection
	for (stream == nil || hijack == nil && hijacking) && time.Now().Before(deadline) {
		for _, s := range h.log.Summaries() {
			switch s.Path {
			case "/stream":
				stream = &s
			case "/hijack":
				hijack = &s
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	if streaming && (stream == nil || stream.Level != dockerflow.LevelError || stream.Code != 200 || stream.Errno != 503 || stream.Msg != "the service stopped before the request finished") {
		t.Errorf("the endless answer's summary: %+v; want an error, code 200 (sent), errno 503, saying it was cut", stream)
	}
	if hijacking && (hijack == nil || hijack.Level != dockerflow.LevelError || hijack.Code != 101 || hijack.Errno != 503 || !strings.Contains(hijack.Msg, "hijacked")) {
		t.Errorf("the hijacked connection's summary: %+v; want an error, code 101, errno 503, saying it was cut", hijack)
	}
	var msgs []string
	for _, e := range h.log.Events("dockerflow.lifecycle") {
		msgs = append(msgs, e.Msg)
	}
	all := strings.Join(msgs, "\n")
	waiting, cut := "waiting up to 300ms for 0 requests in flight", 0
	if streaming {
		waiting, cut = "waiting up to 300ms for 1 request in flight", 1
	}
	if hijacking {
		waiting += "; 1 hijacked connection (a websocket, say) not waited for: cut at the end"
		cut++
	}
	for _, want := range []string{waiting, fmt.Sprintf("stopped: %d request", cut)} {
		if !strings.Contains(all, want) {
			t.Errorf("lifecycle events lack %q:\n%s", want, all)
		}
	}
}

func logTo(w io.Writer) *log.Logger { return log.New(w, "", 0) }

// waitSummary waits for the one summary of a request served on a real
// server (logged after the client saw the answer, or its end).
func waitSummary(t *testing.T, h *harness) dockerflow.Summary {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a hang guard
	for time.Now().Before(deadline) {
		if s := h.log.Summaries(); len(s) > 0 {
			if len(s) > 1 {
				t.Errorf("%d summaries, want 1: %+v", len(s), s)
			}
			return s[0]
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no summary logged")
	return dockerflow.Summary{}
}
