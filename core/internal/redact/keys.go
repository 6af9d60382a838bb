package redact

import (
	"bytes"
	"strings"
)

// The names of secrets. Case never matters; a key is split into parts at
// "-", "_", ".", brackets and lower-to-upper case changes (idTokenHint is
// id, token, hint), and digits ending a part are ignored (password2).
//
//   - sensitiveAnywhere: a key that holds one of these anywhere is
//     sensitive, in text and in query strings (password_confirmation,
//     SAMLResponse, client_assertion, dbpassword);
//   - sensitiveParts: a key one of whose parts is one of these, or whose
//     last part ends with one (accesstoken), is sensitive, in text and in
//     query strings (id_token_hint, refresh_token, X-Amz-Signature);
//   - sensitiveQueryParts: in query strings only, where they name
//     parameters rather than words of prose (code, key, session…), a key
//     whose last part is one of these (code, auth_code, data[key]; not
//     code_challenge); in text too after "?", "&" or ";" (a URL's query
//     quoted in a message), not elsewhere (status_code=503, exit code: 1
//     are prose).
//
// Config.SensitiveKeys adds names matched as parts, in text and query
// strings.
var (
	sensitiveAnywhere = []string{"password", "passwd", "passphrase", "secret", "assertion", "saml",
		"credential", "apikey", "api_key", "api-key", "accesskey", "access_key", "access-key",
		"privatekey", "private_key", "private-key"}
	sensitiveParts      = []string{"pwd", "pass", "token", "auth", "authorization", "signature", "cookie"}
	sensitiveQueryParts = []string{"key", "code", "sig", "jwt", "otp", "hmac", "session", "sessionid", "jsessionid", "phpsessid", "sid", "nonce", "ticket"}
)

// Keys decides which keys name secrets.
type Keys struct {
	// anywhere holds sensitiveAnywhere as bytes; multi the extra names
	// that hold separators (customer-pin), matched as a whole suffix.
	anywhere [][]byte
	multi    []string
	// starts marks the first three letters of every name: a key holding
	// none of them names no secret, which most keys are told in one
	// pass (host, port, connect). all: a name too short or odd for it.
	starts [26 * 26 * 26]bool
	all    bool
	// parts: name → true for a name that counts as any part of a key, in
	// text and query strings; false for one that counts as the last part
	// of a query parameter's name.
	parts map[string]bool
	// plain remembers request strings found plain with these names.
	plain plainSeen
}

var Default = NewKeys(nil)

// NewKeys returns the matcher of the built-in names and extra ones
// (matched as parts, in text and query strings).
func NewKeys(extra []string) *Keys {
	m := &Keys{parts: map[string]bool{}}
	for _, k := range sensitiveParts {
		m.parts[k] = true
	}
	for _, k := range sensitiveQueryParts {
		m.parts[k] = false
	}
	for _, k := range extra {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			m.parts[k] = true
			if strings.ContainsAny(k, "-_.[]") {
				m.multi = append(m.multi, k)
			}
		}
	}
	for _, k := range sensitiveAnywhere {
		m.anywhere = append(m.anywhere, []byte(k))
	}
	for _, names := range [][]string{sensitiveAnywhere, sensitiveParts, sensitiveQueryParts, extra} {
		for _, k := range names {
			k = strings.ToLower(strings.TrimSpace(k))
			if i, ok := trigram(k); ok {
				m.starts[i] = true
			} else if k != "" {
				m.all = true
			}
		}
	}
	return m
}

// sensitive reports whether key names a secret; inQuery: key is a query
// parameter's name (decoded), where the query-only names count.
func (m *Keys) Sensitive(key string, inQuery bool) bool { return sensitiveKey(m, key, inQuery) }

// sensitiveKey is Keys.sensitive for a key held as a string or as
// bytes (Query decodes names into its buffer).
func sensitiveKey[T string | []byte](m *Keys, key T, inQuery bool) bool {
	if len(key) == 0 {
		return false
	}
	var stack [maxKey]byte
	lower := stack[:0]
	if len(key) > maxKey {
		lower = make([]byte, 0, len(key))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	if !m.all && !m.mayMatch(lower) {
		return false
	}
	for _, name := range m.anywhere {
		if bytes.Contains(lower, name) {
			return true
		}
	}
	// Each part between separators, and each of its camel-case parts
	// (idToken); an extra name that holds separators (customer-pin) as a
	// whole suffix, below.
	start, last := 0, []byte(nil)
	for i := 0; i <= len(key); i++ {
		if i < len(key) && !isPartSeparator(key[i]) {
			continue
		}
		if part := trimDigits(lower[start:i]); len(part) > 0 {
			if m.partSensitive(part) {
				return true
			}
			camel := start
			for j := start + 1; j <= i; j++ {
				if j < i && !camelBoundary(key, j) {
					continue
				}
				if sub := trimDigits(lower[camel:j]); len(sub) > 0 {
					if m.partSensitive(sub) {
						return true
					}
					last = sub
				}
				camel = j
			}
		}
		start = i + 1
	}
	if inAnyPart, ok := m.parts[string(last)]; ok && !inAnyPart && inQuery {
		return true
	}
	for _, name := range m.multi {
		if n := len(lower) - len(name); n >= 0 && string(lower[n:]) == name && (n == 0 || isPartSeparator(lower[n-1])) {
			return true
		}
	}
	return false
}

// trigram returns the index of s's first three bytes, if they are
// lower-case letters.
func trigram[T string | []byte](s T) (int, bool) {
	if len(s) < 3 {
		return 0, false
	}
	i := 0
	for _, c := range []byte{s[0], s[1], s[2]} {
		if c < 'a' || c > 'z' {
			return 0, false
		}
		i = i*26 + int(c-'a')
	}
	return i, true
}

// mayMatch reports whether lower (a key, in lower case) holds the first
// three letters of some name.
func (m *Keys) mayMatch(lower []byte) bool {
	for i := 0; i+3 <= len(lower); i++ {
		if t, ok := trigram(lower[i : i+3]); ok && m.starts[t] {
			return true
		}
	}
	return false
}

// mayName reports whether key, in any case, may name a secret: it holds
// the first three letters of some name (see mayMatch), or some name is
// too short or odd to be told that way. A key it says no to is never
// sensitive.
func (m *Keys) mayName(key string) bool {
	if m.all {
		return true
	}
	for i := 0; i+3 <= len(key); i++ {
		t, ok := 0, true
		for _, c := range []byte{key[i], key[i+1], key[i+2]} {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c < 'a' || c > 'z' {
				ok = false
				break
			}
			t = t*26 + int(c-'a')
		}
		if ok && m.starts[t] {
			return true
		}
	}
	return false
}

// trimDigits returns part without the digits that end it (password2).
func trimDigits(part []byte) []byte {
	for len(part) > 0 && '0' <= part[len(part)-1] && part[len(part)-1] <= '9' {
		part = part[:len(part)-1]
	}
	return part
}

// partSensitive reports whether one part of a key (lower case, digits
// trimmed) names a secret wherever it stands: it is such a name, or ends
// with one (accesstoken, dbpass).
func (m *Keys) partSensitive(part []byte) bool {
	if inAnyPart := m.parts[string(part)]; inAnyPart {
		return true
	}
	for _, name := range sensitiveParts {
		if len(part) > len(name) && strings.HasSuffix(string(part), name) {
			return true // accesstoken, dbpass, oauth
		}
	}
	return false
}

// camelBoundary reports whether a camel-case part of key starts at i: a
// lower-case letter followed by an upper-case one (idToken).
func camelBoundary[T string | []byte](key T, i int) bool {
	c := key[i]
	return i > 0 && 'A' <= c && c <= 'Z' && 'a' <= key[i-1] && key[i-1] <= 'z'
}

func isPartSeparator(c byte) bool {
	return c == '-' || c == '_' || c == '.' || c == '[' || c == ']'
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
