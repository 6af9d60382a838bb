package encode

import (
	"log/slog"
	"strconv"
)

// appendText appends the entry as one human line, for a developer's
// terminal: time (UTC, milliseconds), severity, Type, message, then the
// fields as key=value in key order (the message as written unless it
// holds control characters, an '=' or a quote, which could forge fields:
// then quoted), a value quoted when it holds a space,
// a quote, an '=' or anything unprintable. Like a mozlog line, it is never
// split.
func appendText(b []byte, h *Header, msg string, fields []slog.Attr) []byte {
	b = Time(b, max(h.Timestamp, 0))
	b = append(b, ' ')
	b = append(b, Severities[min(max(h.Severity, 0), 7)].Text...)
	b = append(b, ' ')
	b = TextValue(b, h.Type)
	b = TextMessage(b, msg)
	var ibuf [32]int32
	for _, i := range order(fields, ibuf[:]) {
		b = append(b, ' ')
		b = TextValue(b, fields[i].Key)
		b = append(b, '=')
		v := fields[i].Value
		if v.Kind() == slog.KindLogValuer {
			v = v.Resolve()
		}
		switch v.Kind() {
		case slog.KindString:
			b = TextValue(b, v.String())
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindUint64:
			b = strconv.AppendUint(b, v.Uint64(), 10)
		case slog.KindBool:
			b = strconv.AppendBool(b, v.Bool())
		case slog.KindAny:
			if err, ok := v.Any().(error); ok {
				b = TextValue(b, errorText(err))
			} else {
				b = TextValue(b, fmtText(v.Any()))
			}
		default:
			b = TextValue(b, v.String())
		}
	}
	return append(b, '\n')
}
