package redact

import "sync/atomic"

// Request returns v, a string taken from a request (a path, a header, a
// route), redacted: as Text without secrets, but a value in which
// redaction has nothing to start from costs one scan (plainText) and no
// allocation, and one keys remembers as such (a repeated User-Agent)
// a comparison.
func Request(v string, keys *Keys) string {
	if keys.plain.has(v) {
		return v
	}
	if plainText(v, keys) {
		keys.plain.add(v)
		return v
	}
	return nested(v, keys, false, 0)
}

// plainSeen remembers long strings from requests found plain
// (plainText) for one Keys, so that the next request with the same User-Agent (most of
// a service's traffic comes from few: its clients, probes and the common
// browsers) skips the scan: a lookup is one comparison with one
// remembered string. A slot is chosen by the string's length and two of
// its bytes, and holds the last plain string that fell in it. Shorter
// strings (a method, most paths, Accept-Language) are scanned as cheaply
// as they would be compared.
type plainSeen struct {
	slots [64]atomic.Pointer[string]
}

// minPlainSeen is the shortest string plainSeen remembers.
const minPlainSeen = 32

func plainSlot(v string) int {
	return (len(v)*31 + int(v[len(v)-1])*7 + int(v[len(v)/2])) & 63
}

// has reports whether v is remembered as plain.
func (p *plainSeen) has(v string) bool {
	if len(v) < minPlainSeen {
		return false
	}
	seen := p.slots[plainSlot(v)].Load()
	return seen != nil && *seen == v
}

// add remembers v, found plain. Not inlined: the copy it stores must not
// make every caller's string escape.
//
//go:noinline
func (p *plainSeen) add(v string) {
	if len(v) >= minPlainSeen {
		kept := v
		p.slots[plainSlot(v)].Store(&kept)
	}
}

// plainText reports whether nested would return v as it is, without
// running it: v holds no byte where nested starts to look (a quote, an
// '@', a '-' that begins a word), no percent-escape it would decode, no
// "eyJ" that may begin a token, and every '=' or ':' follows a bare key
// that names no secret by its letters alone (q=0.9, rv:128.0), which
// keyValue would pass over. FuzzPlainText holds it to that.
func plainText(v string, keys *Keys) bool {
	for i := 0; i < len(v); i++ {
		switch plainClass[v[i]] {
		case 0:
		case classKeyValue:
			k := keyEnd(v, i)
			if k > 0 && (v[k-1] == '"' || v[k-1] == '\'') {
				return false
			}
			if key := v[bareKeyStart(v, k):k]; key != "" && keys.mayName(key) {
				return false
			}
		case classDash:
			if i == 0 || isSpace(v[i-1]) {
				return false
			}
		case classJ:
			if i >= 2 && v[i-2] == 'e' && v[i-1] == 'y' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// The classes of bytes plainText looks at; every other byte is 0.
const (
	classKeyValue = 1 + iota // '=' ':'
	classDash                // '-'
	classJ                   // 'J', the end of a token's "eyJ"
	classStop                // '@' '%' and quotes: nested looks further
)

var plainClass = func() (t [256]uint8) {
	for c := range 256 {
		if separator[c] {
			t[c] = classStop
		}
	}
	t['='], t[':'], t['-'], t['J'], t['%'] = classKeyValue, classKeyValue, classDash, classJ, classStop
	return t
}()
