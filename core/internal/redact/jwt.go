package redact

import "strings"

// jwtStart begins every JSON Web Token: the base64url of `{"`, the start
// of its header.
const jwtStart = "eyJ"

// redactJWTs returns s with every JSON Web Token replaced by "xxxxx": three
// base64url parts joined by dots, the first starting with "eyJ" (a
// header's `{"`), as a path segment, a bearer token or a word of text. The
// signature may be empty (an unsecured token).
func redactJWTs(s string) string {
	var b strings.Builder
	done := 0
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], jwtStart)
		if j < 0 {
			break
		}
		start := i + j
		i = start + len(jwtStart)
		if start > 0 && isBase64URL(s[start-1]) {
			continue // inside a longer word
		}
		end, ok := jwtEnd(s, start)
		if !ok {
			continue
		}
		b.WriteString(s[done:start])
		b.WriteString(Redacted)
		done, i = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// minJWTPart is the shortest header or payload a token has: eyJhbGciOiJ…
// holds at least {"alg":""}.
const minJWTPart = 10

// jwtEnd returns where the token that starts at i ends, and whether it is
// one: a header and a payload of minJWTPart base64url bytes or more, and
// a signature of base64url bytes (maybe none), joined by dots.
func jwtEnd(s string, i int) (int, bool) {
	for part := 0; part < 3; part++ {
		n := i
		for n < len(s) && isBase64URL(s[n]) {
			n++
		}
		if part < 2 {
			if n-i < minJWTPart || n >= len(s) || s[n] != '.' {
				return 0, false
			}
			n++ // the dot
		}
		i = n
	}
	return i, true
}

func isBase64URL(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}
