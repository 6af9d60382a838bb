package reliability

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/faulttest"
)

// redisServer is a throwaway redis-server the test starts and stops on
// its own port, so the shared one stays up.
type redisServer struct {
	t    *testing.T
	addr string
	dir  string
	cmd  *exec.Cmd
}

func newRedisServer(t *testing.T) *redisServer {
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("TEST_DOCKERFLOW_REDIS_ADDR") != "" {
			t.Fatalf("redis-server is not installed, though TEST_DOCKERFLOW_REDIS_ADDR is set")
		}
		t.Skip("redis-server is not installed and TEST_DOCKERFLOW_REDIS_ADDR is not set (.ci/run sets it)")
	}
	r := &redisServer{t: t, addr: faulttest.FreeAddr(t), dir: t.TempDir()}
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

func (r *redisServer) Start() {
	_, port, _ := net.SplitHostPort(r.addr)
	r.cmd = exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", r.dir, "--logfile", filepath.Join(r.dir, "log"))
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if c, err := net.Dial("tcp", r.addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("redis-server did not start on %s", r.addr)
}

func (r *redisServer) Stop() {
	if r.cmd != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// answer is one heartbeat or lbheartbeat answer a poller saw.
type answer struct {
	at     time.Time
	status int
	body   string
	took   time.Duration
}

// poller requests url in a loop until stopped, keeping every answer.
type poller struct {
	mu      sync.Mutex
	answers []answer
	errors  atomic.Int64
	stop    chan struct{}
	done    sync.WaitGroup
}

func poll(url string, clients int) *poller {
	p := &poller{stop: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < clients; i++ {
		p.done.Add(1)
		go func() {
			defer p.done.Done()
			for {
				select {
				case <-p.stop:
					return
				default:
				}
				start := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					p.errors.Add(1)
					time.Sleep(5 * time.Millisecond)
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					p.errors.Add(1)
					continue
				}
				p.mu.Lock()
				p.answers = append(p.answers, answer{start, resp.StatusCode, string(b), time.Since(start)})
				p.mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	return p
}

func (p *poller) Stop() []answer {
	close(p.stop)
	p.done.Wait()
	return p.answers
}

// firstAfter returns when the first answer with status, given after t,
// was asked for; zero if none.
func (p *poller) firstAfter(t time.Time, status int) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.answers {
		if a.at.After(t) && a.status == status {
			return a.at
		}
	}
	return time.Time{}
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// validHeartbeat reports whether body is a complete heartbeat answer.
func validHeartbeat(body string) bool {
	var v struct{ Status string }
	return json.Unmarshal([]byte(body), &v) == nil && v.Status != "" && strings.HasPrefix(body, "{") && strings.HasSuffix(body, "}")
}
