package encode

import (
	"log/slog"
	"slices"
	"unicode/utf8"
)

// MaxLine is the longest line AppendLine writes, newline included: Docker
// and the CRI split longer lines at 16 KiB, and a split mozlog line is two
// lines that are not JSON. A line the fields would make longer has its
// longest values cut, each ending with "…", so that every field keeps as
// much as the others can spare.
const MaxLine = 16<<10 - 1

// maxName caps the envelope's names (Type, Logger, Hostname,
// EnvVersion), in bytes of their JSON encoding.
const maxName = 256

// FieldsDropped is the field a line cut to MaxLine counts the fields it
// had no room for in, when there are so many that not even their keys fit.
const FieldsDropped = "fields_dropped"

// Cap returns s cut so that its JSON encoding takes at most max bytes,
// quotes excluded, the marker "…" included.
func Cap(s string, max int) string {
	if len(s)*6 <= max { // even if every byte were escaped
		return s
	}
	const mark = "…"
	size, cut := 0, -1
	for i := 0; i < len(s); {
		n, w := encodedWidth(s, i)
		if cut < 0 && size+n > max-len(mark) {
			cut = i // where the marked prefix must end
		}
		if size += n; size > max {
			if cut < 0 {
				return ""
			}
			return s[:cut] + mark
		}
		i += w
	}
	return s
}

// Size returns the bytes of s's JSON encoding, quotes excluded.
func Size(s string) int {
	size := plainPrefix(s) // each a byte: most strings, wholly
	for i := size; i < len(s); {
		n, w := encodedWidth(s, i)
		size += n
		i += w
	}
	return size
}

// encodedWidth returns the bytes the character at s[i] takes in JSON (n)
// and in s (w).
func encodedWidth(s string, i int) (n, w int) {
	c := s[i]
	switch {
	case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
		return 2, 1
	case c < 0x20:
		return 6, 1
	case c >= utf8.RuneSelf:
		r, rw := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && rw == 1 || r == '\u2028' || r == '\u2029' {
			return 6, rw
		}
		return rw, rw
	}
	return 1, 1
}

// fieldWriter appends one field of a line: AppendField (after a comma
// but for the first) or AppendTextField.
type fieldWriter func(b []byte, key string, v slog.Value, first bool) []byte

func jsonField(b []byte, key string, v slog.Value, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	return AppendField(b, key, v)
}

func textField(b []byte, key string, v slog.Value, _ bool) []byte {
	return AppendTextField(b, key, v)
}

// appendFitted appends fields (in the order idx gives) in at most budget
// bytes, as write appends each: the fields that fit a common share as
// they are, the others with their key and value cut to that share (a
// value that is not a string as its JSON text), each cut ending with "…".
// When not even a short share is left for each, the last fields are
// dropped, and FieldsDropped says how many.
func appendFitted(b []byte, fields []slog.Attr, idx []int32, budget int, write fieldWriter) []byte {
	const (
		least    = 48 // the shortest share: a key and a value cut readably
		dropMark = len(`,"fields_dropped":1234567890`)
	)
	sizes := make([]int, len(idx))
	var scratch []byte
	for n, i := range idx {
		scratch = write(scratch[:0], fields[i].Key, fields[i].Value, n == 0)
		sizes[n] = len(scratch)
	}
	keep, share := len(idx), fairShare(sizes, budget)
	for keep > 0 && share < least && share < slices.Max(sizes[:keep]) {
		// Too many fields to cut them all readably: the last are dropped.
		if keep == len(idx) {
			budget -= dropMark
		}
		keep = keep * 7 / 8
		share = fairShare(sizes[:keep], budget)
	}
	for n, i := range idx[:keep] {
		if sizes[n] <= share {
			b = write(b, fields[i].Key, fields[i].Value, n == 0)
			continue
		}
		key, v := fields[i].Key, fields[i].Value
		room := share - 8 // quotes, separators, marker
		key = Cap(key, min(Size(key), room/3))
		text := v.String()
		if v.Kind() != slog.KindString {
			text = string(appendValue(nil, v, 0))
		}
		b = write(b, key, slog.StringValue(Cap(text, max(room-Size(key), 0))), n == 0)
	}
	if keep < len(idx) {
		b = write(b, FieldsDropped, slog.IntValue(len(idx)-keep), keep == 0)
	}
	return b
}

// fairShare returns the largest share such that the sizes, each cut to
// it, add up to at most budget.
func fairShare(sizes []int, budget int) int {
	if len(sizes) == 0 {
		return budget
	}
	sorted := slices.Clone(sizes)
	slices.Sort(sorted)
	used := 0
	for k, s := range sorted {
		rest := len(sorted) - k
		if used+s*rest > budget {
			return (budget - used) / rest
		}
		used += s
	}
	return sorted[len(sorted)-1]
}

// capNames cuts the envelope's names to maxName.
func (h *Header) capNames() {
	h.Type, h.Logger, h.Hostname, h.EnvVersion = Cap(h.Type, maxName), Cap(h.Logger, maxName), Cap(h.Hostname, maxName), Cap(h.EnvVersion, maxName)
}
