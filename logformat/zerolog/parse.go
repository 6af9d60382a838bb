package mozlogzerolog

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/rs/zerolog"
)

// event is what parseEvent found in one event zerolog encoded.
type event struct {
	attrs    []slog.Attr
	typ, msg string
	level    string // the level field's value, when the event has one
}

// parseEvent reads one event zerolog encoded, a JSON object on a line:
// its fields into attrs, but the level (level), the message (msg), the
// time (left out: the line's Timestamp says when) and a TypeKey string
// (typ). What is not such an object (zerolog's CBOR build) is the
// message, as text.
//
// The keys and values found are parts of p, not copies: they must not
// outlive the call that has p (zerolog reuses it once its Write returns),
// as they do not: the line is encoded before.
func parseEvent(p []byte, attrs []slog.Attr) event {
	if len(p) == 0 {
		return event{attrs: attrs}
	}
	s := unsafe.String(&p[0], len(p))
	ev := event{attrs: attrs}
	r := reader{s: s}
	r.space()
	if !r.next('{') {
		ev.msg = strings.TrimRight(s, "\n")
		return ev
	}
	r.space()
	if r.next('}') {
		return ev
	}
	for {
		r.space()
		key, ok := r.str()
		r.space()
		if !ok || !r.next(':') {
			return notJSON(s, attrs)
		}
		r.space()
		v, ok := r.value()
		if !ok {
			return notJSON(s, attrs)
		}
		switch {
		case key == zerolog.LevelFieldName && v.Kind() == slog.KindString:
			ev.level = v.String()
		case key == zerolog.MessageFieldName && v.Kind() == slog.KindString:
			ev.msg = v.String()
		case key == zerolog.TimestampFieldName:
		case key == mozlog.TypeKey && v.Kind() == slog.KindString:
			ev.typ = v.String()
		default:
			ev.attrs = append(ev.attrs, slog.Attr{Key: key, Value: v})
		}
		r.space()
		if r.next('}') {
			return ev
		}
		if !r.next(',') {
			return notJSON(s, attrs)
		}
	}
}

// notJSON is an event that is not the JSON zerolog writes: its text is
// the message, nothing lost.
func notJSON(s string, attrs []slog.Attr) event {
	return event{attrs: attrs[:0], msg: strings.TrimRight(s, "\n")}
}

// reader reads JSON from s, at i.
type reader struct {
	s string
	i int
}

func (r *reader) space() {
	for r.i < len(r.s) && (r.s[r.i] == ' ' || r.s[r.i] == '\t' || r.s[r.i] == '\n' || r.s[r.i] == '\r') {
		r.i++
	}
}

func (r *reader) next(c byte) bool {
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// value reads one JSON value: a string, a number, true, false, null, or
// an object or an array (decoded, numbers kept as written).
func (r *reader) value() (slog.Value, bool) {
	if r.i >= len(r.s) {
		return slog.Value{}, false
	}
	switch c := r.s[r.i]; {
	case c == '"':
		s, ok := r.str()
		return slog.StringValue(s), ok
	case c == '{' || c == '[':
		start := r.i
		if !r.skipNested() {
			return slog.Value{}, false
		}
		var x any
		dec := json.NewDecoder(strings.NewReader(r.s[start:r.i]))
		dec.UseNumber()
		if dec.Decode(&x) != nil {
			return slog.StringValue(r.s[start:r.i]), true
		}
		return slog.AnyValue(x), true
	}
	start := r.i
	for r.i < len(r.s) && !endsToken[r.s[r.i]] {
		r.i++
	}
	tok := r.s[start:r.i]
	switch tok {
	case "true":
		return slog.BoolValue(true), true
	case "false":
		return slog.BoolValue(false), true
	case "null":
		return slog.AnyValue(nil), true
	case "":
		return slog.Value{}, false
	}
	if !strings.ContainsAny(tok, ".eE") { // an integer: no error to build for a float
		if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
			return slog.Int64Value(n), true
		}
		if n, err := strconv.ParseUint(tok, 10, 64); err == nil {
			return slog.Uint64Value(n), true
		}
	}
	if f, err := strconv.ParseFloat(tok, 64); err == nil {
		return slog.Float64Value(f), true
	}
	return slog.StringValue(tok), true // zerolog writes NaN and Inf bare
}

// endsToken marks the bytes that end a bare token (a number, true, false,
// null).
var endsToken = [256]bool{',': true, '}': true, ']': true, ' ': true, '\t': true, '\r': true, '\n': true}

// skipNested moves past the object or array at i.
func (r *reader) skipNested() bool {
	depth := 0
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case '"':
			if _, ok := r.str(); !ok {
				return false
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				r.i++
				return true
			}
		}
		r.i++
	}
	return false
}

// str reads a JSON string at i, decoded.
func (r *reader) str() (string, bool) {
	if !r.next('"') {
		return "", false
	}
	start := r.i
	end := strings.IndexByte(r.s[start:], '"')
	if end < 0 {
		return "", false
	}
	s := r.s[start : start+end]
	if strings.IndexByte(s, '\\') >= 0 { // the quote found may be escaped
		return r.escaped(start)
	}
	r.i = start + end + 1
	return s, true
}

// escaped reads the rest of a string that holds escapes, from start.
func (r *reader) escaped(start int) (string, bool) {
	var b strings.Builder
	b.WriteString(r.s[start:r.i])
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return b.String(), true
		case c != '\\':
			b.WriteByte(c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.s) {
			return "", false
		}
		e := r.s[r.i+1]
		r.i += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			ru, ok := r.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(ru) {
				if r.i+1 < len(r.s) && r.s[r.i] == '\\' && r.s[r.i+1] == 'u' {
					r.i += 2
					lo, ok := r.hex4()
					if !ok {
						return "", false
					}
					ru = utf16.DecodeRune(ru, lo)
				} else {
					ru = utf8.RuneError
				}
			}
			b.WriteRune(ru)
		default:
			return "", false
		}
	}
	return "", false
}

func (r *reader) hex4() (rune, bool) {
	if r.i+4 > len(r.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(n), true
}
