package encode

import (
	"encoding/binary"
	"strconv"
	"sync/atomic"
	"unicode/utf8"
)

// Envelope appends the start of a mozlog JSON line, up to and
// including `"Fields":{`: the Timestamp (ns; negative is written as 0),
// Type, Logger, Hostname, EnvVersion, Severity (0 to 7), Cloud Logging's
// severity name cloud when it is not empty, and Pid. The names of the
// envelopes written last are kept encoded (recent), so that a line costs
// only its time and severity: a process writes few distinct envelopes.
func Envelope(b []byte, ts int64, typ, logger, hostname, envVersion string, sev int, cloud string, pid int) []byte {
	slot := (len(typ) + 7*len(logger)) & (len(recent) - 1)
	if typ != "" {
		slot = (slot + int(typ[len(typ)-1])) & (len(recent) - 1)
	}
	return recent[slot].Append(b, ts, typ, logger, hostname, envVersion, sev, cloud, pid)
}

// recent are the envelopes Envelope wrote last, a slot per Type and
// Logger: a cache, invisible but for its speed.
var recent [16]Envelopes

// Envelopes appends envelopes as Envelope does, keeping the encoded names
// and pid of the last one, which the lines of one logger share: only the
// time and the severity are encoded for each line. The zero value works;
// it is safe for concurrent use.
type Envelopes struct{ last atomic.Pointer[envelopeParts] }

type envelopeParts struct {
	typ, logger, hostname, envVersion string
	pid                               int
	names, pidText                    []byte
}

// Append is Envelope, with the names kept in e.
func (e *Envelopes) Append(b []byte, ts int64, typ, logger, hostname, envVersion string, sev int, cloud string, pid int) []byte {
	p := e.last.Load()
	if p == nil || p.typ != typ || p.logger != logger || p.hostname != hostname || p.envVersion != envVersion || p.pid != pid {
		p = &envelopeParts{typ: typ, logger: logger, hostname: hostname, envVersion: envVersion, pid: pid,
			names: appendNames(nil, typ, logger, hostname, envVersion), pidText: appendPid(nil, pid)}
		e.last.Store(p)
	}
	b = appendTimestamp(b, ts)
	b = append(b, p.names...)
	b = appendSeverity(b, sev, cloud)
	return append(b, p.pidText...)
}

func appendTimestamp(b []byte, ts int64) []byte {
	b = append(b, `{"Timestamp":`...)
	return strconv.AppendInt(b, max(ts, 0), 10)
}

func appendNames(b []byte, typ, logger, hostname, envVersion string) []byte {
	b = append(b, `,"Type":`...)
	b = String(b, typ)
	b = append(b, `,"Logger":`...)
	b = String(b, logger)
	b = append(b, `,"Hostname":`...)
	b = String(b, hostname)
	b = append(b, `,"EnvVersion":`...)
	return String(b, envVersion)
}

func appendSeverity(b []byte, sev int, cloud string) []byte {
	b = append(b, `,"Severity":`...)
	b = strconv.AppendInt(b, int64(sev), 10)
	if cloud != "" {
		b = append(b, `,"severity":"`...)
		b = append(b, cloud...)
		b = append(b, '"')
	}
	return b
}

func appendPid(b []byte, pid int) []byte {
	b = append(b, `,"Pid":`...)
	b = strconv.AppendInt(b, int64(max(pid, 0)), 10)
	return append(b, `,"Fields":{`...)
}

// LooksLikeObject reports whether a message may be a JSON object, whose
// keys mozlog's encoder then adds to the fields (python-dockerflow #40):
// it starts with '{' and ends with '}'.
func LooksLikeObject(msg string) bool { return msg != "" && msg[0] == '{' && msg[len(msg)-1] == '}' }

const hexDigits = "0123456789abcdef"

// plain marks the ASCII bytes a JSON string holds as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// String appends s as a JSON string on one line: control characters
// escaped, invalid UTF-8 replaced by U+FFFD, no HTML escaping.
func String(b []byte, s string) []byte {
	b = append(b, '"')
	i := plainPrefix(s)
	if i < len(s) {
		return appendEscaped(append(b, s[:i]...), s[i:])
	}
	b = append(b, s...)
	return append(b, '"')
}

// plainPrefix returns the length of the longest prefix of s that a JSON
// string holds as it is: no byte below 0x20, no '"', '\\' or non-ASCII.
func plainPrefix(s string) int {
	i := 0
	// 8 bytes at a time: (x-k)&^x has a byte's high bit set where that byte
	// of x is below k; x^(c*lsb) has a zero byte where x holds c.
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		const lsb, msb = 0x0101010101010101, 0x8080808080808080
		q, bs := x^('"'*lsb), x^('\\'*lsb)
		if ((x-0x20*lsb)|(q-lsb)&^q|(bs-lsb)&^bs|x)&msb != 0 {
			break
		}
	}
	for ; i < len(s) && s[i] < utf8.RuneSelf && plain[s[i]]; i++ {
	}
	return i
}

// appendEscaped appends s, whose first byte needs escaping or is not
// ASCII, and the closing quote.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if n := plainPrefix(s[i:]); n > 0 {
			i += n
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' { // line separators, for readers that split on them
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
