package dockerflow

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
)

// The failures a summary records: a panic's text and its stack, as
// python-dockerflow logs them (error, traceback), what an error reporter
// needs of a panic, and the headers of the 500 that replaces a panicking
// handler's answer.

// traceback is a panic's stack as logged: without the frames of the
// recovery itself (debug.Stack, Panicked, the deferred function), cut on a
// line boundary to fit capTraceback.
func traceback(stack []byte) string {
	s := string(stack)
	// What panicked is below runtime's panic frame; above it, the recovery.
	if i := strings.Index(s, "\npanic("); i >= 0 {
		header, _, _ := strings.Cut(s, "\n")
		s = header + s[i:]
	}
	capped := capField(s, capTraceback-len(traceCut))
	if capped == s {
		return s
	}
	if cut := strings.LastIndexByte(capped, '\n'); cut >= 0 {
		return s[:cut+1] + traceCut
	}
	return capped
}

const traceCut = "…(cut)"

// panicText is a panic's value as text.
func panicText(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(v)
}

// securityHeaders are the response headers a 500 that replaces a
// panicking handler's answer keeps: they protect the client whatever the
// answer (HSTS, CSP, framing), and services set them on every answer.
var securityHeaders = []string{
	"Strict-Transport-Security", "Content-Security-Policy", "Content-Security-Policy-Report-Only",
	"X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
	"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
	"X-Permitted-Cross-Domain-Policies",
}

// neverKept are headers that must not survive onto an error answer: what
// makes it cacheable or validates it, what describes the body it
// replaced, cookies, and redirects.
func neverKept(name string) bool {
	switch name {
	case "Cache-Control", "Expires", "Etag", "Last-Modified", "Age", "Vary", "Pragma",
		"Set-Cookie", "Set-Cookie2", "Location", "Refresh", "Transfer-Encoding", "Trailer":
		return true
	}
	return strings.HasPrefix(name, "Content-") && name != "Content-Security-Policy" && name != "Content-Security-Policy-Report-Only"
}

// keptOnError is the set of headers resetHeader keeps, canonical.
func keptOnError(ridHeader string, extra []string) (map[string]bool, error) {
	keep := make(map[string]bool, len(securityHeaders)+len(extra)+1)
	for _, h := range securityHeaders {
		keep[h] = true
	}
	if ridHeader != "" {
		keep[http.CanonicalHeaderKey(ridHeader)] = true
	}
	var bad []string
	for _, h := range extra {
		c := http.CanonicalHeaderKey(strings.TrimSpace(h))
		if !validHeaderName(c) || neverKept(c) {
			bad = append(bad, fmt.Sprintf("%q", h))
			continue
		}
		keep[c] = true
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("config: KeepHeadersOnPanic %s: not header names an error answer may keep (caching, validators, Content-*, Set-Cookie and Location never are)", strings.Join(bad, ", "))
	}
	return keep, nil
}

// resetHeader readies h for the 500 that replaces a panicking handler's
// answer: it drops every header but those s keeps (the request ID, the
// security headers, Config.KeepHeadersOnPanic) and forbids caching.
func resetHeader(s *Service, h http.Header) {
	for k := range h {
		if !s.keepOnError[k] {
			delete(h, k)
		}
	}
	h["Cache-Control"] = noStore
}

// panicInfo is what an error reporter needs of a panic, taken where it
// was recovered.
type panicInfo struct {
	typ   string
	stack []uintptr
}

// recordPanic keeps v's type and the panicking goroutine's stack for the
// error observers, if there are any. It runs in the deferred function
// that recovered, where the panicking frames are still on the stack.
func (t *Tracker) recordPanic(v any) {
	if len(t.svc.obs.errors) == 0 {
		return
	}
	t.panic = &panicInfo{typ: fmt.Sprintf("%T", v), stack: panickingStack()}
}

// maxStackDepth bounds the frames kept of a panicking goroutine.
const maxStackDepth = 64

// panickingStack returns the program counters of the calling goroutine
// below its innermost runtime.gopanic: the frame that panicked, outwards.
func panickingStack() []uintptr {
	pcs := make([]uintptr, 128)
	pcs = pcs[:runtime.Callers(2, pcs)]
	for i, pc := range pcs {
		// Callers gives return addresses: pc-1 is in the calling
		// function. gopanic is never inlined.
		if fn := runtime.FuncForPC(pc - 1); fn != nil && fn.Name() == "runtime.gopanic" {
			pcs = pcs[i+1:]
			break
		}
	}
	return pcs[:min(len(pcs), maxStackDepth)]
}
