package redact

// Query returns a raw query string as the summary logs it: each
// parameter whose name is sensitive has its value replaced by "xxxxx"
// before anything is decoded (so that neither an escape in the value nor
// an encoded or bracketed name lets a secret through), then every name and
// value percent-decoded ("+" stays "+", as python-dockerflow logs it; an
// invalid escape stays as it is), and each decoded name and value
// Redacted as text, at every level of decoding it goes through
// (q=a%26token%3Dx, a=1;token=x, next=https://u:pw@host, a return URL
// whose own query carries code=, encoded twice).
func Query(raw string, keys *Keys) string {
	if raw == "" {
		return ""
	}
	var stack [512]byte
	b := stack[:0]
	// One pass: a pair ends at '&'; eq is its first '=', -1 if none;
	// escaped: it holds a '%'; textual: its value holds a byte after which
	// text redaction could find something.
	start, eq := 0, -1
	escaped, textual := false, false
	for i := 0; i <= len(raw); i++ {
		for i < len(raw) && !querySpecial[raw[i]] {
			i++
		}
		if i < len(raw) {
			switch raw[i] {
			case '&':
			case '=':
				if eq < 0 {
					eq = i
				} else {
					textual = true
				}
				continue
			case '%':
				escaped = true
				continue
			default: // ':', '@', ';'
				textual = textual || eq >= 0
				continue
			}
		}
		if start > 0 {
			b = append(b, '&')
		}
		name, value := raw[start:i], ""
		if eq >= 0 {
			name, value = raw[start:eq], raw[eq+1:i]
		}
		n := len(b)
		b = appendUnescaped(b, name, escaped)
		if escaped && mayHoldSecret(b[n:]) {
			// token%3DS3CRET: an encoded pair in a name.
			b = append(b[:n], nested(string(b[n:]), keys, true, 0)...)
		}
		if eq >= 0 {
			sensitive := value != "" && sensitiveKey(keys, b[n:], true)
			b = append(b, '=')
			v := len(b)
			switch {
			case sensitive:
				b = append(b, Redacted...)
			case escaped || textual:
				b = appendUnescaped(b, value, escaped)
				if mayHoldSecret(b[v:]) {
					b = append(b[:v], nested(string(b[v:]), keys, true, 0)...)
				}
			default:
				b = append(b, value...)
			}
		}
		start, eq, escaped, textual = i+1, -1, false, false
	}
	return string(b)
}

// mayHoldSecret reports whether a decoded value holds a byte after which
// text redaction could find something, or an escape that decodes further.
func mayHoldSecret(v []byte) bool {
	for _, c := range v {
		if c == '=' || c == ':' || c == '@' || c == '%' {
			return true
		}
	}
	return false
}

// querySpecial marks the bytes Query stops at.
var querySpecial = func() (t [256]bool) {
	for _, c := range "&=%:@;" {
		t[c] = true
	}
	return t
}()

// appendUnescaped appends s to b, its %XX escapes decoded when escaped;
// a '%' not followed by two hex digits is kept as it is.
func appendUnescaped(b []byte, s string, escaped bool) []byte {
	if !escaped {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return b
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
