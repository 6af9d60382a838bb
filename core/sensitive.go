package dockerflow

import "strings"

// defaultSensitiveKeys are the names whose values Redact removes, in query
// strings (by the parameter's name) and in text (key=value, key: value,
// "key": "value"). Case does not matter. A key matches a name when it is
// the name, or ends with it after "-", "_", "." or a bracket (db_password,
// X-Amz-Signature, data[token]); the longer names, from password to
// signature, also match at the end of any key (dbpassword, accesstoken).
// Short names that are common words (code, key, session…) are matched in
// query strings only, where they name parameters. Config.SensitiveKeys
// adds names.
var defaultSensitiveKeys = []string{
	// Matched at the end of any key, in text and query strings.
	"password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "auth", "authorization",
	"apikey", "api_key", "api-key", "accesskey", "access_key", "access-key",
	"privatekey", "private_key", "private-key", "credential", "credentials", "signature",
	// Matched whole or after a separator, in query strings only.
	"key", "code", "sig", "jwt", "otp", "hmac", "session", "sessionid", "session_id",
}

// anySuffix is the number of defaultSensitiveKeys matched at the end of
// any key, in text too.
const anySuffix = 21

// keyMatcher decides which keys name secrets. Its names are indexed by
// their last byte, so that a key is checked against the few names it could
// end with.
type keyMatcher struct {
	byLast [256][]keyName
}

type keyName struct {
	name      string
	anySuffix bool // matched at the end of any key, else whole or after a separator
	inText    bool // matched in text, else in query strings only
}

var defaultKeys = newKeyMatcher(nil)

// newKeyMatcher returns the matcher of the default names and extra ones
// (matched whole or after a separator, in text and query strings).
func newKeyMatcher(extra []string) *keyMatcher {
	m := &keyMatcher{}
	for i, k := range defaultSensitiveKeys {
		m.add(keyName{name: k, anySuffix: i < anySuffix, inText: i < anySuffix})
	}
	for _, k := range extra {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			m.add(keyName{name: k, inText: true})
		}
	}
	return m
}

func (m *keyMatcher) add(k keyName) {
	last := k.name[len(k.name)-1]
	m.byLast[last] = append(m.byLast[last], k)
}

// sensitive reports whether key names a secret; inQuery: key is a query
// parameter's name (decoded), where brackets separate names and the short
// names count.
func (m *keyMatcher) sensitive(key string, inQuery bool) bool { return sensitiveKey(m, key, inQuery) }

// sensitiveKey is keyMatcher.sensitive for a key held as a string or as
// bytes (redactQuery decodes names into its buffer).
func sensitiveKey[T string | []byte](m *keyMatcher, key T, inQuery bool) bool {
	if len(key) == 0 {
		return false
	}
	last := key[len(key)-1]
	if inQuery && last == ']' {
		// data[token], data[token][]: each bracketed part is a name of its own.
		for _, part := range strings.FieldsFunc(string(key), func(r rune) bool { return r == '[' || r == ']' }) {
			if sensitiveKey(m, part, true) {
				return true
			}
		}
		return false
	}
	if 'A' <= last && last <= 'Z' {
		last += 'a' - 'A'
	}
	for _, k := range m.byLast[last] {
		if !inQuery && !k.inText || !hasSuffixFold(key, k.name) {
			continue
		}
		if n := len(key) - len(k.name); k.anySuffix || n == 0 || key[n-1] == '-' || key[n-1] == '_' || key[n-1] == '.' {
			return true
		}
	}
	return false
}

// hasSuffixFold reports whether s ends with suffix, a lower-case ASCII
// name, in any case.
func hasSuffixFold[T string | []byte](s T, suffix string) bool {
	if len(s) < len(suffix) {
		return false
	}
	s = s[len(s)-len(suffix):]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != suffix[i] {
			return false
		}
	}
	return true
}
