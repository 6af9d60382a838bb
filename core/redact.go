package dockerflow

import (
	"regexp"
	"strings"
)

var (
	// scheme://user:password@host: the password goes.
	urlPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^:@/\s]*):[^/\s]*@`)
	// password=…, token: …, api_key=… in DSNs and messages: the value goes.
	// The key may end so: db_password, access_token, client_secret, x-api-key.
	keyValueSecret = regexp.MustCompile(`(?i)\b([a-z0-9_.-]*?(?:password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?key|auth))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&)"']+)`)
)

// Redacted replaces what Redact removes.
const Redacted = "xxxxx"

// Redact returns text with secrets replaced by "xxxxx": the password of a
// URL's user information (postgres://user:pw@host), the value of
// password=, pwd=, token=, secret=, api_key= and the like, and each of the
// given secrets wherever it appears. Every check message goes through it
// before it is shown or logged, so that a driver error quoting a DSN
// leaks nothing; checks can pass the secrets they know (a configured
// password) to catch the rest.
func Redact(text string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) >= 3 {
			text = strings.ReplaceAll(text, s, Redacted)
		}
	}
	text = urlPassword.ReplaceAllString(text, "${1}:"+Redacted+"@")
	return keyValueSecret.ReplaceAllString(text, "${1}${2}"+Redacted)
}
