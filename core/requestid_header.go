package dockerflow

import (
	"net/http"
	"strings"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
)

const requestIDHeaderWant = `a request-ID header name: "X-" and a name (X-Request-ID, X-Correlation-ID, X-Amzn-Trace-Id), or one ending in "-Id" (Request-Id, Correlation-Id), and none that changes how an answer is cached, framed or trusted, nor one that carries credentials, a session or a client's address`

// refusedHeaderParts are words that, as a part of a header name (between
// "-"), say the header carries a credential, a session or a client's
// address (X-Session-Id, X-Forwarded-For, X-Real-Ip): its value must not
// be echoed and logged as a request ID. The sensitive key names
// (token, auth, secret, password, cookie...) are refused too.
var refusedHeaderParts = map[string]bool{
	"session": true, "sessionid": true, "sid": true, "cookie": true, "csrf": true, "xsrf": true,
	"key": true, "jwt": true, "otp": true, "nonce": true, "ticket": true, "sig": true, "bearer": true,
	"ip": true, "ips": true, "addr": true, "address": true, "forwarded": true, "remote": true, "connecting": true, "via": true,
}

// carriesSecretOrAddress reports whether the header name c (canonical)
// names a credential, a session or a client's address.
func carriesSecretOrAddress(c string) bool {
	for _, part := range strings.Split(strings.ToLower(c), "-") {
		if refusedHeaderParts[part] {
			return true
		}
	}
	return redact.Default.Sensitive(c, true)
}

// unsafeXHeaders are X- headers that change how a browser, a proxy or a
// server treats an answer: a client's value echoed in one would frame,
// redirect or expose the answer (X-Accel-Redirect, X-Sendfile: files
// served by the proxy in front), even on a year-cached static file.
var unsafeXHeaders = map[string]bool{
	"X-Frame-Options": true, "X-Content-Type-Options": true, "X-Xss-Protection": true,
	"X-Permitted-Cross-Domain-Policies": true, "X-Dns-Prefetch-Control": true, "X-Download-Options": true,
	"X-Robots-Tag": true, "X-Ua-Compatible": true, "X-Sendfile": true, "X-Lighttpd-Send-File": true,
	"X-Forwarded-Proto": true, "X-Forwarded-Host": true, "X-Forwarded-Port": true, "X-Forwarded-Prefix": true,
	"X-Http-Method-Override": true, "X-Original-Url": true, "X-Rewrite-Url": true, "X-Csrf-Token": true, "X-Xsrf-Token": true,
	"X-Api-Key": true, "X-Auth-Token": true, "X-Amz-Security-Token": true,
}

// validRequestIDHeader reports whether s may carry the request ID, whose
// value the client chooses and every answer echoes. An allow-list shape:
// "X-" names, but those in unsafeXHeaders, the X-Accel-* family (nginx's
// internal redirects and limits) and those naming a credential, a session
// or an address, and names ending in "-Id" that are no standard header
// (Content-Id is one).
func validRequestIDHeader(s string) bool {
	if !validHeaderName(s) {
		return false
	}
	c := http.CanonicalHeaderKey(s)
	switch {
	case unsafeXHeaders[c] || strings.HasPrefix(c, "X-Accel-") || carriesSecretOrAddress(c):
		return false
	case strings.HasPrefix(c, "X-") && len(c) > 2:
		return true
	case strings.HasSuffix(c, "-Id") && len(c) > 3:
		return !strings.HasPrefix(c, "Content-") && !strings.HasPrefix(c, "Sec-") && !strings.HasPrefix(c, "Access-Control-")
	}
	return false
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
