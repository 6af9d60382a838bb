package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// debugVars reads the service's /debug/vars (after a GC).
func debugVars(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/debug/vars")
	if err != nil {
		t.Fatalf("debug vars: %v", err)
	}
	defer resp.Body.Close()
	var v map[string]float64
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A bounded soak: mixed traffic against an example for
// TEST_DOCKERFLOW_SOAK_DURATION (20s by default; .ci/run uses 60s). Only the
// intended non-2xx answers, goroutines and heap flat, one summary per
// request.
func TestSoak(t *testing.T) {
	d := 20 * time.Second
	if v := os.Getenv("TEST_DOCKERFLOW_SOAK_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatalf("TEST_DOCKERFLOW_SOAK_DURATION: %v", err)
		}
	}
	debug := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	dir, _ := versionDir(t)
	s := start(t, "chi", "APP_DIR="+dir, "DEBUG_ADDR="+debug, "DATABASE_URL=", "REDIS_URL=", "DOCKERFLOW_HEARTBEAT_CACHE_TTL=1s")

	type req struct {
		method, path string
		body         string
		want         []int // the answers intended
	}
	mix := []req{
		{"GET", "/__lbheartbeat__", "", []int{200}},
		{"GET", "/__heartbeat__", "", []int{200}},
		{"GET", "/__version__", "", []int{200}},
		{"PUT", "/notes/n%d", "soak %d", []int{200}},
		{"GET", "/notes/n%d", "", []int{200, 404}}, // 404 until that note is written
		{"POST", "/counter", "", []int{200}},
		{"GET", "/nowhere", "", []int{404}},
		{"POST", "/__heartbeat__", "", []int{405}},
	}
	// send makes the i-th request of the mix and returns it with the answer's status.
	send := func(i int) (req, int) {
		r := mix[i%len(mix)]
		path := strings.ReplaceAll(r.path, "%d", fmt.Sprint(i%50))
		var code int
		if r.body != "" {
			code, _, _ = s.try(r.method, path, strings.NewReader(fmt.Sprintf(r.body, i)))
		} else {
			code, _, _ = s.try(r.method, path, nil)
		}
		return r, code
	}
	for i := 0; i < 200; i++ { // warm up before the first sample
		send(i)
	}
	before := debugVars(t, debug)

	var sent, unintended atomic.Int64
	var mu sync.Mutex
	unexpected := map[string]int{}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i += 8 {
				r, code := send(i)
				sent.Add(1)
				ok := false
				for _, c := range r.want {
					ok = ok || c == code
				}
				if !ok {
					unintended.Add(1)
					mu.Lock()
					unexpected[fmt.Sprintf("%s %s → %d", r.method, r.path, code)]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	after := debugVars(t, debug)
	s.stop()

	t.Logf("%d requests in %v; goroutines %v → %v, heap %v → %v bytes", sent.Load(), d,
		before["goroutines"], after["goroutines"], before["heap_inuse"], after["heap_inuse"])
	if unintended.Load() > 0 {
		t.Errorf("%d unintended answers: %v", unintended.Load(), unexpected)
	}
	if after["goroutines"] > before["goroutines"]+10 {
		t.Errorf("goroutines grew from %v to %v", before["goroutines"], after["goroutines"])
	}
	if after["heap_inuse"] > 2*before["heap_inuse"]+16<<20 {
		t.Errorf("heap grew from %v to %v bytes", before["heap_inuse"], after["heap_inuse"])
	}
	s.checkSummaries()
}
