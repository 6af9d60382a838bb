package redact

import (
	"strings"
)

// Redacted replaces what redaction removes.
const Redacted = "xxxxx"

// Text returns text with secrets replaced by Redacted (dockerflow.Redact
// documents what it removes), judging keys by keys; each of secrets (of 3
// bytes or more) is replaced wherever it appears.
func Text(text string, keys *Keys, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 3 && strings.Contains(text, s) {
			text = strings.ReplaceAll(text, s, Redacted)
		}
	}
	return nested(text, keys, false, 0)
}

// maxDecodings bounds how many times text is percent-decoded to look for
// secrets nested in URLs inside values (each level of a return URL).
const maxDecodings = 4

// nested redacts text by key names and URL user information; query:
// text is a query parameter's decoded value, where the query-only names
// count everywhere. A text that holds percent-escapes of separators
// (password%3DS3CRET, a return URL) is decoded, up to maxDecodings times,
// and Redacted again: when that finds a secret, the decoded text,
// Redacted, is what is returned.
func nested(text string, keys *Keys, query bool, depth int) string {
	if strings.Contains(text, jwtStart) {
		text = redactJWTs(text)
	}
	r := redaction{text: text, query: query}
	for i := 0; i < len(text); {
		j := indexSeparator(text[i:])
		if j < 0 {
			break
		}
		p := i + j
		i = p + 1
		switch text[p] {
		case '@':
			i = max(i, r.userInfo(p))
		case '"', '\'':
			i = max(i, r.quotedAfterKey(p, keys))
		case '-':
			i = max(i, r.flag(p, keys))
		default:
			i = max(i, r.keyValue(p, keys))
		}
	}
	out := r.result()
	if depth < maxDecodings && hasSeparatorEscape(out) {
		dec := string(appendUnescaped(nil, out, true))
		if red := nested(dec, keys, query, depth+1); red != dec {
			return red
		}
	}
	return out
}

// hasSeparatorEscape reports whether s holds a percent-escape of a byte
// that a secret could follow once decoded: = : @ & ? ; a quote or a space
// (--password%20…).
func hasSeparatorEscape(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0 && i+2 < len(s); {
		if isHex(s[i+1]) && isHex(s[i+2]) {
			switch unhex(s[i+1])<<4 | unhex(s[i+2]) {
			case '=', ':', '@', '&', '?', ';', '"', '\'', '%', ' ':
				return true
			}
		}
		k := strings.IndexByte(s[i+1:], '%')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// indexSeparator returns the index of the first byte in s where a secret
// may follow or end, or -1: '=' and ':' (key=value, key: value), '@'
// (user information), a quote (key "value") and '-' (--flag value).
func indexSeparator(s string) int {
	for i := 0; i < len(s); i++ {
		if separator[s[i]] {
			return i
		}
	}
	return -1
}

var separator = func() (t [256]bool) {
	for _, c := range "=:@\"'-" {
		t[c] = true
	}
	return t
}()

// redaction builds the Redacted text: the spans to remove, in order.
type redaction struct {
	text  string
	query bool // a query parameter's value: the query-only names count
	// lastAt is the last '@' userInfo saw, atSeen how many its word has
	// had.
	lastAt, atSeen int
	mysql          uint8 // mysqlCommand's answer: 0 not asked yet, 1 yes, 2 no
	b              strings.Builder
	done           int // text[:done] is in b
}

// cut replaces text[from:to] by repl.
func (r *redaction) cut(from, to int, repl string) {
	if from < r.done || from >= to {
		return
	}
	r.b.WriteString(r.text[r.done:from])
	r.b.WriteString(repl)
	r.done = to
}

func (r *redaction) result() string {
	if r.done == 0 {
		return r.text
	}
	r.b.WriteString(r.text[r.done:])
	return r.b.String()
}

// Bounds on how far a key or a word is looked for around a separator, so
// that text made of separators costs linear time.
const (
	maxKey       = 128
	maxWord      = 2048
	maxAtPerWord = 8
)

// tokenStart returns where the word that ends at p begins: after the last
// space, quote, bracket, '=' or ',' before p (at most maxWord back).
func tokenStart(s string, p int) int {
	for stop := max(p-maxWord, 0); p > stop; {
		switch s[p-1] {
		case ' ', '\t', '\n', '\r', '"', '\'', '`', '=', ',', ';', '(', '<', '>', '[', ']', '{', '}':
			return p
		}
		p--
	}
	return 0
}

// tokenEnd returns where the word that holds p ends: at the next space or
// quote, or at limit.
func tokenEnd(s string, p, limit int) int {
	for ; p < len(s) && p < limit; p++ {
		switch s[p] {
		case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
			return p
		}
	}
	return p
}

// userInfo redacts the password before the '@' at p: in a URL
// (scheme://user:pw@host), and in anything shaped like user information
// without a well-formed scheme: a MySQL DSN (user:pw@tcp(host)/db,
// root:pw@/test), host:port forms (app:pw@db:5432/app, :pw@host:6379) and
// broken schemes (postgres:/app:pw@db, redis//:pw@h). It returns where to
// go on scanning.
func (r *redaction) userInfo(p int) int {
	s := r.text
	// A word with more '@' than any address or URL has is cut whole from
	// there: each '@' looks back and ahead up to maxWord, and a text of
	// '@'s must not cost that many times its length.
	if r.atSeen > 0 && strings.IndexAny(s[r.lastAt:p], " \t\n\r\f\v") < 0 {
		if r.atSeen++; r.atSeen > maxAtPerWord {
			end := p
			for end < len(s) && !isSpace(s[end]) {
				end++
			}
			r.cut(p+1, end, Redacted)
			return end
		}
	} else {
		r.atSeen = 1
	}
	r.lastAt = p
	ws := p // the start of the word, which only white space ends
	for ws > 0 && p-ws < maxWord && !isSpace(s[ws-1]) {
		ws--
	}
	// The password may hold '@' (and '/'): it ends at the word's last '@'.
	end := p
	if last := strings.LastIndexByte(s[p:tokenEnd(s, p, p+maxWord)], '@'); last > 0 {
		end = p + last
	}
	if k := strings.LastIndex(s[ws:p], "://"); k >= 0 {
		info := ws + k + 3 // user:pw
		if colon := strings.IndexByte(s[info:p], ':'); colon >= 0 {
			r.cut(info+colon+1, end, Redacted)
			return end + 1
		}
		if looksLikeToken(s[info:end]) {
			r.cut(info, end, Redacted) // https://ghp_…@github.com: the user name is the token
			return end + 1
		}
		return p + 1
	}
	start := tokenStart(s, p)
	if from := passwordStart(s[start:p]); from >= 0 {
		r.cut(start+from, end, Redacted)
		return end + 1
	}
	return p + 1
}

// passwordStart returns where the password begins in info, what stands
// before a '@' without a well-formed scheme: after the ':' of the user:pw
// that follows info's last '/' (postgres:/app:pw, redis//:pw), else after
// its first ':' (user:pa/ss); -1 when there is none.
func passwordStart(info string) int {
	seg := strings.LastIndexByte(info, '/') + 1
	colon := strings.IndexByte(info[seg:], ':')
	if colon >= 0 {
		colon += seg
	} else {
		colon = strings.IndexByte(info, ':')
	}
	if colon < 0 || colon+1 == len(info) {
		return -1
	}
	return colon + 1
}

// keyValue redacts the value after the '=' or ':' at p when the key before
// it is sensitive, and returns where to go on scanning.
func (r *redaction) keyValue(p int, keys *Keys) int {
	s := r.text
	if s[p] == ':' && strings.HasPrefix(s[p+1:], "//") {
		return p + 1 // a URL's scheme
	}
	// The key: a word, or a quoted string (JSON), then spaces.
	k := keyEnd(s, p)
	var key string
	inQuery := r.query
	quoted := k > 0 && (s[k-1] == '"' || s[k-1] == '\'')
	if quoted {
		from := max(k-1-maxKey, 0)
		open := strings.LastIndexByte(s[from:k-1], s[k-1])
		if open < 0 {
			return p + 1
		}
		key = strings.TrimSuffix(s[from+open+1:k-1], `\`) // {\"password\": …}
		if strings.IndexByte(key, '\\') >= 0 {
			key = unescapeKey(key) // {"pass\u0077ord": …}
		}
	} else {
		start := bareKeyStart(s, k)
		key = s[start:k]
		// A URL's query quoted in text (…/cb?code=…, a=1;jwt=…): its
		// names count as query parameters'.
		inQuery = inQuery || s[p] == '=' && start > 0 && (s[start-1] == '?' || s[start-1] == '&' || s[start-1] == ';')

	}
	if key == "" || !keys.Sensitive(key, inQuery) {
		return p + 1
	}
	v := p + 1
	for v < len(s) && isSpace(s[v]) {
		v++
	}
	end := valueEnd(s, v)
	if hasSuffixFold(key, "cookie") && (v >= len(s) || s[v] != '"' && s[v] != '\'') {
		end = lineEnd(s, v) // Cookie: a=1; sessionid=…: every pair, to the end of the line
	}
	if end == v {
		return p + 1
	}
	repl := Redacted
	switch {
	case quoted && s[v] == '"':
		repl = `"` + Redacted + `"` // JSON stays JSON
	case quoted && strings.HasPrefix(s[v:], `\"`):
		repl = `\"` + Redacted + `\"` // and escaped JSON, escaped JSON
	}
	r.cut(v, end, repl)
	return end
}

// keyEnd returns where the key before the separator at p ends: before
// the spaces that precede p.
func keyEnd(s string, p int) int {
	for p > 0 && isSpace(s[p-1]) {
		p--
	}
	return p
}

// bareKeyStart returns where the bare key (isKeyByte) that ends at k
// starts, at most maxKey bytes back.
func bareKeyStart(s string, k int) int {
	start := k
	for start > 0 && k-start < maxKey && isKeyByte(s[start-1]) {
		start--
	}
	return start
}

// valueEnd returns where the value that starts at v ends: after its
// closing quote, or at the end of a bare word. A scheme word (Bearer,
// Basic) takes the credentials after it along; an unclosed quote runs to
// the end of the word.
func valueEnd(s string, v int) int {
	if v >= len(s) {
		return v
	}
	if s[v] == '\\' && v+1 < len(s) && (s[v+1] == '"' || s[v+1] == '\'') {
		// An escaped quote: the value ends at the next escaped one.
		if i := strings.Index(s[v+2:min(len(s), v+2+maxWord)], s[v:v+2]); i >= 0 {
			return v + 2 + i + 2
		}
		return tokenEnd(s, v+2, len(s))
	}
	if strings.HasPrefix(s[v:], "&quot;") { // HTML-escaped quotes
		if i := strings.Index(s[v+6:min(len(s), v+6+maxWord)], "&quot;"); i >= 0 {
			return v + 6 + i + 6
		}
	}
	if q := s[v]; q == '"' || q == '\'' {
		for i := v + 1; i < len(s) && i-v < maxWord; i++ {
			switch s[i] {
			case '\\':
				i++
			case q:
				return i + 1
			}
		}
		return tokenEnd(s, v+1, len(s))
	}
	end := v
	for end < len(s) && !strings.ContainsRune(" \t\n\r\f\v,;&)\"'", rune(s[end])) {
		end++
	}
	switch strings.ToLower(s[v:end]) {
	case "bearer", "basic", "token", "digest", "negotiate":
		if end < len(s) && s[end] == ' ' {
			return valueEnd(s, end+1)
		}
	}
	return end
}

// quotedAfterKey redacts a quoted value that follows a sensitive word and
// white space, without a separator (password "…", PASSWORD '…' in SQL),
// and returns where to go on scanning.
func (r *redaction) quotedAfterKey(p int, keys *Keys) int {
	s := r.text
	k := p
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	if k == p || k == 0 || !isKeyByte(s[k-1]) {
		return p + 1
	}
	start := k
	for start > 0 && k-start < maxKey && isKeyByte(s[start-1]) {
		start--
	}
	if !keys.Sensitive(s[start:k], false) {
		return p + 1
	}
	end := valueEnd(s, p)
	r.cut(p, end, Redacted)
	return end
}

// flag redacts the value of a command-line flag named by a sensitive key
// (--password X, -api-key X; --password=X is a key=value), and mysql's
// -pX, where the password follows the flag's letter; it returns where to
// go on scanning.
func (r *redaction) flag(p int, keys *Keys) int {
	s := r.text
	if p > 0 && !isSpace(s[p-1]) {
		return p + 1 // a dash inside a word: db-1, in-stock
	}
	n := p + 1
	if n < len(s) && s[n] == '-' {
		n++
	}
	e := n
	for e < len(s) && e-n < maxKey && (isKeyByte(s[e]) && s[e] != '.') {
		e++
	}
	switch {
	case e == n:
		return p + 1
	case e-n > 1 && e+1 < len(s) && (s[e] == ' ' || s[e] == '\t') && keys.Sensitive(s[n:e], false):
		v := e + 1
		end := valueEnd(s, v)
		r.cut(v, end, Redacted)
		return end
	case n == p+1 && s[n] == 'p' && e > n+1 && r.mysqlCommand():
		end := tokenEnd(s, n+1, len(s))
		r.cut(n+1, end, Redacted) // mysql -uroot -pS3CRET
		return end
	}
	return e
}

// mysqlCommand reports whether the text is a mysql command line (it names
// mysql or mariadb), where -pX is a password rather than a port (ssh -p22)
// or a flag (mkdir -p).
func (r *redaction) mysqlCommand() bool {
	if r.mysql == 0 {
		r.mysql = 2
		for _, name := range []string{"mysql", "mariadb"} {
			if indexFold(r.text, name) >= 0 {
				r.mysql = 1
			}
		}
	}
	return r.mysql == 1
}

// indexFold returns the index of name, a lower-case ASCII word, in s in
// any case, or -1.
func indexFold(s, name string) int {
	for i := 0; i+len(name) <= len(s); i++ {
		if hasSuffixFold(s[i:i+len(name)], name) {
			return i
		}
	}
	return -1
}

// lineEnd returns where the line that holds v ends.
func lineEnd(s string, v int) int {
	if i := strings.IndexAny(s[v:], "\r\n"); i >= 0 {
		return v + i
	}
	return len(s)
}

// looksLikeToken reports whether a URL's user name, without a password,
// is a credential: an access token used as the user (GitHub's
// https://ghp_…@github.com, GitLab's glpat-…, a Sentry DSN's key), told
// by a token's prefix or a length no user name has (16 bytes or more).
func looksLikeToken(user string) bool {
	if len(user) >= 16 {
		return true
	}
	for _, prefix := range tokenPrefixes {
		if strings.HasPrefix(user, prefix) {
			return true
		}
	}
	return false
}

// tokenPrefixes begin the access tokens of common forges and services.
var tokenPrefixes = []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "xoxb-", "xoxp-", "npm_", "pypi-", "sk_live_", "sk-"}

// unescapeKey is a quoted key with its JSON escapes decoded, \uXXXX of
// ASCII and the one-letter ones, so that {"pass\u0077ord": …} is matched
// as the password it spells.
func unescapeKey(key string) string {
	b := make([]byte, 0, len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c != '\\' || i+1 >= len(key) {
			b = append(b, c)
			continue
		}
		i++
		switch key[i] {
		case 'u':
			if i+4 < len(key) && isHex(key[i+1]) && isHex(key[i+2]) && isHex(key[i+3]) && isHex(key[i+4]) {
				hi, lo := unhex(key[i+1])<<4|unhex(key[i+2]), unhex(key[i+3])<<4|unhex(key[i+4])
				if hi == 0 && lo < 0x80 {
					b = append(b, lo)
					i += 4
					continue
				}
			}
			b = append(b, '\\', 'u')
		case '\\':
			// \\u0077 (escaped JSON, escaped again): decode what follows
			b = append(b, '\\')
		default:
			b = append(b, key[i])
		}
	}
	if strings.IndexByte(string(b), '\\') >= 0 && len(b) < len(key) {
		return unescapeKey(string(b))
	}
	return string(b)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isKeyByte reports whether c may be part of a bare key: api_key,
// X-Api-Key, db.password, user[password].
func isKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-' ||
		c == '[' || c == ']' // user[password]
}
