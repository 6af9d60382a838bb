package mozlog

import (
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"
)

// textSeverity names the syslog severities in a text line.
var textSeverity = [8]string{"EMERG", "ALERT", "CRIT", "ERROR", "WARN", "NOTICE", "INFO", "DEBUG"}

// appendText appends the entry as one human line, for a developer's
// terminal: time (UTC, milliseconds), severity, Type, message, then the
// fields as key=value in key order (the message as written unless it
// holds control characters), a value quoted when it holds a space,
// a quote, an '=' or anything unprintable. Like a mozlog line, it is never
// split.
func appendText(b []byte, h *Header, msg string, fields []slog.Attr) []byte {
	b = time.Unix(0, max(h.Timestamp, 0)).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	b = append(b, ' ')
	b = append(b, textSeverity[min(max(h.Severity, 0), 7)]...)
	b = append(b, ' ')
	b = appendTextValue(b, h.Type)
	if msg != "" {
		b = append(b, ' ')
		if printable(msg) {
			b = append(b, msg...) // as written, spaces and all
		} else {
			b = strconv.AppendQuote(b, msg)
		}
	}
	var ibuf [32]int32
	for _, i := range order(fields, ibuf[:]) {
		b = append(b, ' ')
		b = appendTextValue(b, fields[i].Key)
		b = append(b, '=')
		v := fields[i].Value.Resolve()
		if v.Kind() == slog.KindAny {
			if err, ok := v.Any().(error); ok {
				b = appendTextValue(b, errorText(err))
				continue
			}
			b = appendTextValue(b, fmtText(v.Any()))
			continue
		}
		b = appendTextValue(b, v.String())
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

// appendTextValue appends s as it is, or quoted when it would not read
// back as one word on one line.
func appendTextValue(b []byte, s string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ' ' || r == '"' || r == '=' || r == '\\' || !strconv.IsPrint(r) || r == utf8.RuneError && size == 1 {
			return strconv.AppendQuote(b, s)
		}
		i += size
	}
	return append(b, s...)
}
