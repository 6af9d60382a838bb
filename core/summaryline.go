package dockerflow

import (
	"strconv"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// writeSummary writes sum's line to l's output, as LogSummary does, and
// reports whether it could: the line is the one mozlog.AppendLine writes
// for sum.AppendAttrs, written field by field with the names as
// constants, with nothing to build, sort or check for repeated keys
// (TestSummaryLineIsMozlogs compares the two on every shape of summary).
// The same for the text format (appendSummaryText). It cannot for a
// replaced clock (Options.Now), nor in JSON for a message that is a JSON
// object (whose keys join the fields).
func (l *MozlogLogger) writeSummary(sum *Summary) bool {
	if l.Now != nil || !l.Text && encode.LooksLikeObject(sum.Msg) {
		return false
	}
	h := mozlog.Header{Timestamp: sum.End.UnixNano(), Type: typeSummary, Logger: l.Logger, Hostname: l.Hostname,
		EnvVersion: l.EnvVersion, Severity: mozlog.SlogSeverity(sum.Level.SlogLevel()), Pid: l.Pid, CloudSeverity: l.CloudSeverity}
	h.FillDefaults()
	bp := encode.Buffer()
	var line []byte
	if l.Text {
		line = appendSummaryText(*bp, &h, sum)
	} else {
		line = appendSummaryLine(*bp, &l.envelopes, &h, sum)
	}
	l.mu.Lock()
	_, _ = l.out().Write(line)
	l.mu.Unlock()
	encode.Release(bp, line)
	return true
}

// appendSummaryLine appends the mozlog JSON line of sum, with h's
// envelope (through env, which keeps its constant part); fields in the order of their names, as AppendAttrs lists
// them, msg among them when it is not empty.
func appendSummaryLine(b []byte, env *encode.Envelopes, h *mozlog.Header, sum *Summary) []byte {
	sev := min(max(h.Severity, 0), 7)
	cloud := ""
	if h.CloudSeverity {
		cloud = encode.Severities[sev].Cloud
	}
	b = env.Append(b, h.Timestamp, h.Type, h.Logger, h.Hostname, h.EnvVersion, sev, cloud, h.Pid)
	b = append(b, `"agent":`...)
	b = encode.String(b, sum.Agent)
	b = append(b, `,"code":`...)
	b = strconv.AppendInt(b, int64(sum.Code), 10)
	b = append(b, `,"errno":`...)
	b = strconv.AppendInt(b, int64(sum.Errno), 10)
	b = appendOptional(b, `,"error":`, sum.Error)
	b = append(b, `,"lang":`...)
	b = encode.String(b, sum.Lang)
	b = append(b, `,"method":`...)
	b = encode.String(b, sum.Method)
	b = appendOptional(b, `,"msg":`, sum.Msg)
	b = append(b, `,"path":`...)
	b = encode.String(b, sum.Path)
	if sum.HasQueryString {
		b = append(b, `,"querystring":`...)
		b = encode.String(b, sum.QueryString)
	}
	b = append(b, `,"rid":`...)
	b = encode.String(b, sum.RID)
	b = appendOptional(b, `,"route":`, sum.Route)
	b = appendOptional(b, `,"status":`, sum.Status)
	b = append(b, `,"t":`...)
	b = strconv.AppendInt(b, sum.Duration.Milliseconds(), 10)
	b = appendOptional(b, `,"trace_id":`, sum.TraceID)
	b = appendOptional(b, `,"traceback":`, sum.Traceback)
	b = append(b, `,"uid":`...)
	b = encode.String(b, sum.UID)
	return append(b, "}}\n"...)
}

// appendOptional appends the field whose key (with its comma and colon)
// is key, unless its value is empty.
func appendOptional(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	return encode.String(append(b, key...), value)
}

// appendSummaryText appends the text line of sum (Options.Text), as
// mozlog.AppendLine writes it for sum.AppendAttrs: time, severity, Type
// and message, then the fields as key=value in the order of their names.
func appendSummaryText(b []byte, h *mozlog.Header, sum *Summary) []byte {
	b = encode.Time(b, max(h.Timestamp, 0))
	b = append(b, ' ')
	b = append(b, encode.Severities[min(max(h.Severity, 0), 7)].Text...)
	b = append(b, ' ')
	b = encode.TextValue(b, h.Type)
	b = encode.TextMessage(b, sum.Msg)
	b = append(b, " agent="...)
	b = encode.TextValue(b, sum.Agent)
	b = append(b, " code="...)
	b = strconv.AppendInt(b, int64(sum.Code), 10)
	b = append(b, " errno="...)
	b = strconv.AppendInt(b, int64(sum.Errno), 10)
	b = appendOptionalText(b, " error=", sum.Error)
	b = append(b, " lang="...)
	b = encode.TextValue(b, sum.Lang)
	b = append(b, " method="...)
	b = encode.TextValue(b, sum.Method)
	b = append(b, " path="...)
	b = encode.TextValue(b, sum.Path)
	if sum.HasQueryString {
		b = append(b, " querystring="...)
		b = encode.TextValue(b, sum.QueryString)
	}
	b = append(b, " rid="...)
	b = encode.TextValue(b, sum.RID)
	b = appendOptionalText(b, " route=", sum.Route)
	b = appendOptionalText(b, " status=", sum.Status)
	b = append(b, " t="...)
	b = strconv.AppendInt(b, sum.Duration.Milliseconds(), 10)
	b = appendOptionalText(b, " trace_id=", sum.TraceID)
	b = appendOptionalText(b, " traceback=", sum.Traceback)
	b = append(b, " uid="...)
	b = encode.TextValue(b, sum.UID)
	return append(b, '\n')
}

// appendOptionalText is appendOptional for the text format.
func appendOptionalText(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	return encode.TextValue(append(b, key...), value)
}
