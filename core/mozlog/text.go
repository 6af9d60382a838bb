package mozlog

import (
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendText appends the entry as one human line, for a developer's
// terminal: time (UTC, milliseconds), severity, Type, message, then the
// fields as key=value in key order (the message as written unless it
// holds control characters, an '=' or a quote, which could forge fields:
// then quoted), a value quoted when it holds a space,
// a quote, an '=' or anything unprintable. Like a mozlog line, it is never
// split.
func appendText(b []byte, h *Header, msg string, fields []slog.Attr) []byte {
	b = appendTime(b, max(h.Timestamp, 0))
	b = append(b, ' ')
	b = append(b, severities[min(max(h.Severity, 0), 7)].text...)
	b = append(b, ' ')
	b = appendTextValue(b, h.Type)
	if msg != "" {
		b = append(b, ' ')
		if printable(msg) && !strings.ContainsAny(msg, `="`) {
			b = append(b, msg...) // as written, spaces and all
		} else { // quoted: key=value text in a message must not read as fields
			b = appendString(b, msg)
		}
	}
	var ibuf [32]int32
	for _, i := range order(fields, ibuf[:]) {
		b = append(b, ' ')
		b = appendTextValue(b, fields[i].Key)
		b = append(b, '=')
		v := fields[i].Value
		if v.Kind() == slog.KindLogValuer {
			v = v.Resolve()
		}
		switch v.Kind() {
		case slog.KindString:
			b = appendTextValue(b, v.String())
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindUint64:
			b = strconv.AppendUint(b, v.Uint64(), 10)
		case slog.KindBool:
			b = strconv.AppendBool(b, v.Bool())
		case slog.KindAny:
			if err, ok := v.Any().(error); ok {
				b = appendTextValue(b, errorText(err))
			} else {
				b = appendTextValue(b, fmtText(v.Any()))
			}
		default:
			b = appendTextValue(b, v.String())
		}
	}
	return append(b, '\n')
}

// printable reports whether s is valid UTF-8 with no control characters.
func printable(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strconv.IsPrint(r) && r != ' ' || r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}

// bare marks the ASCII bytes a value may hold unquoted.
var bare = func() (t [utf8.RuneSelf]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = c != '"' && c != '=' && c != '\\'
	}
	return t
}()

// appendTextValue appends s as it is, or quoted when it would not read
// back as one word on one line.
func appendTextValue(b []byte, s string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII: no decoding
			if !bare[c] {
				return appendString(b, s) // JSON quoting: one line, escapes readable
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strconv.IsPrint(r) || r == utf8.RuneError && size == 1 {
			return appendString(b, s) // JSON quoting: one line, escapes readable
		}
		i += size
	}
	return append(b, s...)
}

// appendTime appends the Unix time ns (nanoseconds, not negative) as
// 2006-01-02T15:04:05.000Z. The civil date is computed from the day
// number directly (H. Hinnant's days-to-civil): time.Time's Date and
// Clock cost a tenth of a text line.
func appendTime(b []byte, ns int64) []byte {
	secs := ns / 1e9
	days, rem := secs/86400, secs%86400
	// Days since 0000-03-01, in 400-year eras of 146097 days.
	z := days + 719468
	era := z / 146097
	doe := z - era*146097                                  // day of era, 0 to 146096
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of era, 0 to 399
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of the year from March 1st
	mp := (5*doy + 2) / 153                                // month from March, 0 to 11
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	year := yoe + era*400
	if month <= 2 {
		year++
	}
	b = appendDigits(b, int(year), 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, int(day), 2)
	b = append(b, 'T')
	b = appendDigits(b, int(rem/3600), 2)
	b = append(b, ':')
	b = appendDigits(b, int(rem/60%60), 2)
	b = append(b, ':')
	b = appendDigits(b, int(rem%60), 2)
	b = append(b, '.')
	b = appendDigits(b, int(ns%1e9/1e6), 3)
	return append(b, 'Z')
}

// appendDigits appends n, zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var d [8]byte
	i := len(d)
	for ; n > 0 || i > len(d)-width; n /= 10 {
		i--
		d[i] = byte('0' + n%10)
	}
	return append(b, d[i:]...)
}
