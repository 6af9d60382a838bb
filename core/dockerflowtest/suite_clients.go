package dockerflowtest

// What real clients do at the edges of HTTP, over real connections.

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

func testClients(t *testing.T, nh NewHandler) {
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
