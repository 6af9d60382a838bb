package encode

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// TextMessage appends a text line's message, after a space, unless it is
// empty: as written, spaces and all, unless it holds control characters,
// an '=' or a quote, which could forge fields: then quoted.
func TextMessage(b []byte, msg string) []byte {
	if msg == "" {
		return b
	}
	b = append(b, ' ')
	if Printable(msg) && !strings.ContainsAny(msg, `="`) {
		return append(b, msg...)
	}
	return String(b, msg)
}

// Printable reports whether s is valid UTF-8 with no control characters.
func Printable(s string) bool {
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

// TextValue appends s as it is, or quoted when it would not read
// back as one word on one line.
func TextValue(b []byte, s string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII: no decoding
			if !bare[c] {
				return String(b, s) // JSON quoting: one line, escapes readable
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strconv.IsPrint(r) || r == utf8.RuneError && size == 1 {
			return String(b, s) // JSON quoting: one line, escapes readable
		}
		i += size
	}
	return append(b, s...)
}

// Time appends the Unix time ns (nanoseconds, not negative) as
// 2006-01-02T15:04:05.000Z. The civil date is computed from the day
// number directly (H. Hinnant's days-to-civil): time.Time's Date and
// Clock cost a tenth of a text line.
func Time(b []byte, ns int64) []byte {
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
