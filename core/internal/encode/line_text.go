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
	line := len(b)
	b = Time(b, max(h.Timestamp, 0))
	b = append(b, ' ')
	b = append(b, Severities[min(max(h.Severity, 0), 7)].Text...)
	b = append(b, ' ')
	b = TextValue(b, h.Type)
	head := len(b)
	b = TextMessage(b, msg)
	var ibuf [32]int32
	idx := order(fields, ibuf[:])
	for _, i := range idx {
		b = AppendTextField(b, fields[i].Key, fields[i].Value)
	}
	if len(b)-line+1 > MaxLine { // cut the message, then the longest values
		b = TextMessage(b[:head], Cap(msg, maxTextMessage))
		b = appendFitted(b, fields, idx, MaxLine-(len(b)-line)-1, textField)
	}
	return append(b, '\n')
}

// maxTextMessage caps a text line's message when the line would be too
// long.
const maxTextMessage = 4 << 10

// AppendTextField appends one field as a text line writes it: " key=value",
// the value quoted when it would not read back as one word.
func AppendTextField(b []byte, key string, v slog.Value) []byte {
	b = append(b, ' ')
	b = TextValue(b, key)
	b = append(b, '=')
	if v.Kind() == slog.KindLogValuer {
		v = v.Resolve()
	}
	switch v.Kind() {
	case slog.KindString:
		return TextValue(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return TextValue(b, errorText(err))
		}
		return TextValue(b, fmtText(v.Any()))
	}
	return TextValue(b, v.String())
}
