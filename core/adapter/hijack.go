package adapter

import (
	"bufio"
	"net"
	"net/http"
)

// WatchHijack returns w wrapped so that a successful Hijack of it tells
// t (Tracker.Hijacked), for adapters whose framework hands handlers a
// writer of its own around an http.ResponseWriter (echo's Response).
// Flush and Unwrap (http.ResponseController) pass through.
func WatchHijack(w http.ResponseWriter, t Tracker) http.ResponseWriter {
	return &hijackWatcher{ResponseWriter: w, t: t}
}

// MayHijack reports whether r is a request whose handler may take over
// the connection: one that asks to switch protocols (Upgrade: a
// websocket) or a CONNECT. An adapter can wrap the writer of those alone
// (WatchHijack), sparing every other request the allocation.
func MayHijack(r *http.Request) bool {
	return r.Method == http.MethodConnect || len(r.Header["Upgrade"]) > 0
}

type hijackWatcher struct {
	http.ResponseWriter
	t Tracker
}

func (w *hijackWatcher) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.t.Hijacked()
	}
	return conn, rw, err
}

func (w *hijackWatcher) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *hijackWatcher) Unwrap() http.ResponseWriter { return w.ResponseWriter }
