package dockerflow

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
)

// envDetailsToken is the variable of HeartbeatDetailsToken: a secret,
// never quoted in an error.
const envDetailsToken = "DOCKERFLOW_HEARTBEAT_DETAILS_TOKEN"

// minDetailsToken is the shortest HeartbeatDetailsToken: a bearer token
// anyone who can reach the endpoint may try to guess.
const minDetailsToken = 16

// vary is the Vary header of a heartbeat whose body depends on the
// request's Authorization header.
var vary = []string{"Authorization"}

// detailsPolicy decides, per request, whether the heartbeat's body shows
// its checks and details: always (HeartbeatShowDetails), never, or when
// the request is authorized, by a bearer token (HeartbeatDetailsToken) or
// any rule of the application's (HeartbeatDetailsAllowed).
type detailsPolicy struct {
	always bool
	token  []byte
	allow  func(*http.Request) bool
}

func newDetailsPolicy(cfg *Config) detailsPolicy {
	p := detailsPolicy{always: cfg.HeartbeatShowDetails, allow: cfg.HeartbeatDetailsAllowed}
	if cfg.HeartbeatDetailsToken != "" {
		p.token = []byte(cfg.HeartbeatDetailsToken)
	}
	return p
}

// per reports whether the answer depends on the request: details are
// shown to some requests only.
func (p *detailsPolicy) per() bool { return !p.always && (p.token != nil || p.allow != nil) }

// shows reports whether r may see the details. A missing or wrong token
// is not an error: r gets the plain body, and the same status.
func (p *detailsPolicy) shows(r *http.Request) bool {
	switch {
	case p.always:
		return true
	case r == nil:
		return false
	case p.token != nil && bearerMatches(r.Header.Get("Authorization"), p.token):
		return true
	}
	return p.allow != nil && p.allow(r)
}

// bearerMatches reports whether auth is "Bearer <token>" (the scheme in
// any case, RFC 9110), comparing the token in constant time.
func bearerMatches(auth string, token []byte) bool {
	const scheme = "bearer "
	if len(auth) <= len(scheme) || !strings.EqualFold(auth[:len(scheme)], scheme) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(auth[len(scheme):])), token) == 1
}

// checkDetailsToken reports what is wrong with a token, never quoting it.
func checkDetailsToken(token string) error {
	if token == "" {
		return nil
	}
	if len(token) < minDetailsToken {
		return fmt.Errorf("config: HeartbeatDetailsToken is %d bytes, want at least %d (a random string: anyone may try to guess it)", len(token), minDetailsToken)
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("config: HeartbeatDetailsToken has a byte 0x%02x at %d, want printable ASCII without spaces (as an Authorization header carries it)", c, i)
		}
	}
	return nil
}

// renderBodies renders rep's heartbeat bodies: the plain one, and the one
// with details when a request may see them.
func (p *detailsPolicy) renderBodies(rep *Report) {
	if p.always {
		rep.body = rep.render(true)
		rep.detailed = rep.body
		return
	}
	rep.body = rep.render(false)
	if p.per() {
		rep.detailed = rep.render(true)
	}
}
