package dockerflow

import (
	"fmt"
	"net/http"
	"strings"
)

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

// defaultKeptOnError is what is kept when no Service is known (recovery
// without the middleware): the security headers and X-Request-Id.
var defaultKeptOnError, _ = keptOnError(defaultRequestIDHeader, nil)

// resetHeader readies h for the 500 that replaces a panicking handler's
// answer: it drops every header but those s keeps (the request ID, the
// security headers, Config.KeepHeadersOnPanic; s may be nil) and forbids
// caching.
func resetHeader(s *Service, h http.Header) {
	keep := defaultKeptOnError
	if s != nil {
		keep = s.keepOnError
	}
	for k := range h {
		if !keep[k] {
			delete(h, k)
		}
	}
	h["Cache-Control"] = noStore
}
