package reliability

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	sqlcheck "github.com/dockerflow-go/dockerflow/checks/sql"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/faulttest"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/redis/go-redis/v9"
)

var secrets = []string{"s3cr3t-redis-pw", "s3cr3t-db-pw", "s3cr3t-token", "s3cr3t-dsn-pw", "s3cr3t-key"}

// With secret-bearing configuration and backends that refuse it, no
// response and no log line holds a secret.
func TestNoSecretLeaks(t *testing.T) {
	mr := miniredis.RunT(t)
	mr.RequireAuth("the-right-one")
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), Password: "s3cr3t-redis-pw", ContextTimeoutEnabled: true})
	defer rdb.Close()
	db, err := sql.Open("pgx", "postgres://app:s3cr3t-db-pw@"+faulttest.FreeAddr(t)+"/x?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	quoting := dockerflow.Check{Name: "quoting", Func: dockerflow.CheckError("app.E001", func(context.Context) error {
		// A driver that quotes its DSN in errors, as some do.
		return errors.New(`cannot open "mysql://root:s3cr3t-dsn-pw@db/x?api_key=s3cr3t-key": refused`)
	})}
	srv, logs := server(t, dockerflow.Config{HeartbeatShowDetails: true, EnableErrorEndpoint: true, SummaryQueryString: true, CheckTimeout: 3 * time.Second},
		redischeck.New(rdb), sqlcheck.Connected(db), quoting)

	var bodies []string
	for _, path := range []string{"/__heartbeat__", "/__version__", "/__error__", "/x?access_token=s3cr3t-token&page=2", "/__lbheartbeat__?password=s3cr3t-db-pw"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		bodies = append(bodies, string(b))
		for k, v := range resp.Header {
			bodies = append(bodies, k+": "+strings.Join(v, ","))
		}
	}
	if !strings.Contains(bodies[0], `"redis":"error"`) || !strings.Contains(bodies[0], `"database":"error"`) || !strings.Contains(bodies[0], "xxxxx") {
		t.Errorf("heartbeat %s: want failing checks with redacted texts", bodies[0])
	}
	out := logs.String()
	for _, s := range secrets {
		for _, b := range bodies {
			if strings.Contains(b, s) {
				t.Errorf("an answer holds %q: %s", s, b)
			}
		}
		if strings.Contains(out, s) {
			t.Errorf("the logs hold %q", s)
		}
	}
	if !strings.Contains(out, `"querystring":"access_token=xxxxx&page=2"`) {
		t.Errorf("query string not logged redacted:\n%s", out)
	}
	// /__error__: exactly one error entry for the call.
	if n := strings.Count(out, "The __error__ endpoint was called"); n != 1 {
		t.Errorf("%d error entries for one /__error__ call", n)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if err := mozlog.Check(append(sc.Bytes(), '\n')); err != nil {
			t.Errorf("%v: %s", err, sc.Text())
		}
	}
}

// Requests that try to break the log line or the request ID, sent raw:
// each gets an answer, a valid request ID, and a valid mozlog line.
func TestHostileRequests(t *testing.T) {
	srv, logs := server(t, dockerflow.Config{SummaryQueryString: true})
	addr := strings.TrimPrefix(srv.URL, "http://")
	reached := 0 // requests net/http passed on (it answers 400 itself to malformed ones)
	for name, req := range map[string]string{
		"long-id":      "GET /__lbheartbeat__ HTTP/1.1\r\nHost: x\r\nX-Request-ID: " + strings.Repeat("a", 10<<10) + "\r\n\r\n",
		"quotes":       "GET /__lbheartbeat__ HTTP/1.1\r\nHost: x\r\nX-Request-ID: \"}{\\\"\r\nUser-Agent: \"},\"Type\":\"forged\r\n\r\n",
		"invalid-utf8": "GET /__lbheartbeat__ HTTP/1.1\r\nHost: x\r\nX-Request-ID: \xff\xfe\r\nUser-Agent: \xc3\x28 \xed\xa0\x80\r\nAccept-Language: \xff\r\n\r\n",
		"newline-path": "GET /a%0A%7B%22forged%22%3A1%7D?q=%0D%0Ax HTTP/1.1\r\nHost: x\r\n\r\n",
		"control-id":   "GET /__lbheartbeat__ HTTP/1.1\r\nHost: x\r\nX-Request-ID: a\x01b\x7f\r\n\r\n",
		"u2028":        "GET /__lbheartbeat__ HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u2028b\u2029c\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.WriteString(c, req); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			resp.Body.Close()
			rid := resp.Header.Get("X-Request-ID")
			switch {
			case resp.StatusCode == http.StatusBadRequest && rid == "":
				t.Logf("net/http refused it: %s", resp.Status)
			case !validRequestID(rid):
				t.Errorf("answer %d with request ID %q", resp.StatusCode, rid)
			default:
				reached++
			}
		})
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != reached || reached < 5 {
		t.Errorf("%d log lines for %d requests that reached the handler:\n%s", len(lines), reached, logs.String())
	}
	for _, l := range lines {
		if err := mozlog.Check([]byte(l + "\n")); err != nil {
			t.Errorf("%v: %s", err, l)
		}
		if strings.Contains(l, `"Type":"forged"`) || strings.Contains(l, `"forged":1`) {
			t.Errorf("a field broke out of its string: %s", l)
		}
	}
}

// validRequestID is the contract's rule: 1 to 128 bytes of printable ASCII.
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7e {
			return false
		}
	}
	return true
}
