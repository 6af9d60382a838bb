package dockerflow

import "unicode/utf8"

// Strings a summary or a report holds are capped, in bytes of their JSON
// encoding (a control byte or invalid UTF-8 takes 6), so that a summary
// line stays under the 16 KiB at which Docker and the CRI split lines,
// whatever the request holds, and a check's message stays readable. A
// longer string is cut on a rune boundary and ends with "…". The caps of
// the summary's fields are in summaryFields.

// capField returns s cut so that its JSON encoding takes at most max
// bytes, marker included.
func capField(s string, max int) string {
	if len(s)*6 <= max { // even if every byte were escaped
		return s
	}
	const mark = "…"
	size, cut := 0, -1
	for i := 0; i < len(s); {
		c := s[i]
		n, w := 1, 1
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n = 2
		case c < 0x20:
			n = 6
		case c >= utf8.RuneSelf:
			r, rw := utf8.DecodeRuneInString(s[i:])
			w, n = rw, rw
			if r == utf8.RuneError && rw == 1 || r == '\u2028' || r == '\u2029' {
				n = 6
			}
		}
		if cut < 0 && size+n > max-len(mark) {
			cut = i // where the marked prefix must end
		}
		if size += n; size > max {
			return s[:cut] + mark
		}
		i += w
	}
	return s
}
