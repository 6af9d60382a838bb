package faulttest

import (
	"io"
	"net"
	"sync"
	"testing"
)

// FreeAddr returns a loopback address nothing listens on (for a while):
// a backend that is down.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// SilentListener returns the address of a listener that accepts
// connections and never answers: a backend that hangs. Close drops it and
// its connections; it is closed when the test ends.
func SilentListener(tb testing.TB) (addr string, close func()) {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	close = func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
		conns = nil
	}
	tb.Cleanup(close)
	return l.Addr().String(), close
}

// Proxy forwards TCP from its own loopback port to a target: Cut makes
// the target unreachable through it (connections dropped, new ones
// refused) without stopping it, Restore makes it reachable again on the
// same port.
type Proxy struct {
	tb     testing.TB
	addr   string
	target string
	mu     sync.Mutex
	l      net.Listener
	conns  []net.Conn
}

// NewProxy starts a proxy to target; it is cut when the test ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{tb: tb, addr: l.Addr().String(), target: target}
	p.serve(l)
	tb.Cleanup(p.Cut)
	return p
}

// Addr is the proxy's address, to connect to instead of the target's.
func (p *Proxy) Addr() string { return p.addr }

func (p *Proxy) serve(l net.Listener) {
	p.mu.Lock()
	p.l = l
	p.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

// Cut drops every connection and stops accepting new ones.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		p.l.Close()
		p.l = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Restore accepts connections again, on the same port.
func (p *Proxy) Restore() {
	p.tb.Helper()
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.tb.Fatalf("listening again on %s: %v", p.addr, err)
	}
	p.serve(l)
}
