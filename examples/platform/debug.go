package platform

import (
	"encoding/json"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// debugServer serves GET /debug/vars on addr, for DEBUG_ADDR: goroutines
// and heap figures after a GC, to watch a service under a soak; and GET
// /metrics, metrics's Prometheus metrics. Keep it on loopback or a
// private port.
func debugServer(addr string, metrics *prometheus.Registry) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/vars", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]uint64{
			"goroutines": uint64(runtime.NumGoroutine()),
			"heap_alloc": m.HeapAlloc,
			"heap_inuse": m.HeapInuse,
			"sys":        m.Sys,
		})
	})
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: MaxHeaderBytes}
}
