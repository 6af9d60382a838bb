package dockerflow

import (
	"log/slog"

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
	h := encode.Header{Timestamp: sum.End.UnixNano(), Type: mozlog.TypeSummary, Logger: l.Logger, Hostname: l.Hostname,
		EnvVersion: l.EnvVersion, Severity: encode.SlogSeverity(sum.Level.SlogLevel()), Pid: l.Pid, CloudSeverity: l.CloudSeverity}
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
// envelope (through env, which keeps its constant part), then its fields
// (appendSummaryFields, generated from summaryFields).
func appendSummaryLine(b []byte, env *encode.Envelopes, h *encode.Header, sum *Summary) []byte {
	sev := min(max(h.Severity, 0), 7)
	cloud := ""
	if h.CloudSeverity {
		cloud = encode.Severities[sev].Cloud
	}
	b = env.Append(b, h.Timestamp, h.Type, h.Logger, h.Hostname, h.EnvVersion, sev, cloud, h.Pid)
	b = appendSummaryFields(b, sum)
	b = append(b, '}')
	for _, a := range sum.addedFields() { // Cloud Logging's, at the top
		if encode.Hoisted(a.Key) {
			b = encode.AppendField(append(b, ','), a.Key, a.Value)
		}
	}
	return append(b, "}\n"...)
}

// appendSummaryText appends the text line of sum (Options.Text), as
// mozlog.AppendLine writes it for sum.AppendAttrs: time, severity, Type
// and message, then the fields as key=value in the order of their names
// (appendSummaryFieldsText, generated from summaryFields).
func appendSummaryText(b []byte, h *encode.Header, sum *Summary) []byte {
	b = encode.Time(b, max(h.Timestamp, 0))
	b = append(b, ' ')
	b = append(b, encode.Severities[min(max(h.Severity, 0), 7)].Text...)
	b = append(b, ' ')
	b = encode.TextValue(b, h.Type)
	b = encode.TextMessage(b, sum.Msg)
	b = appendSummaryFieldsText(b, sum)
	return append(b, '\n')
}

// appendAddedBefore appends the added fields x[j:] whose keys sort before
// key, each as `,"key":value`, and returns the index of the next one.
func appendAddedBefore(b []byte, x []slog.Attr, j int, key string) ([]byte, int) {
	for ; j < len(x) && x[j].Key < key; j++ {
		if !encode.Hoisted(x[j].Key) {
			b = encode.AppendField(append(b, ','), x[j].Key, x[j].Value)
		}
	}
	return b, j
}

// appendAddedRest appends the added fields x[j:], as appendAddedBefore.
func appendAddedRest(b []byte, x []slog.Attr, j int) []byte {
	for ; j < len(x); j++ {
		if !encode.Hoisted(x[j].Key) {
			b = encode.AppendField(append(b, ','), x[j].Key, x[j].Value)
		}
	}
	return b
}

// appendAddedTextBefore appends the added fields x[j:] whose keys sort
// before key as the text line writes them, " key=value", and returns the
// index of the next one.
func appendAddedTextBefore(b []byte, x []slog.Attr, j int, key string) ([]byte, int) {
	for ; j < len(x) && x[j].Key < key; j++ {
		b = encode.AppendTextField(b, x[j].Key, x[j].Value)
	}
	return b, j
}

// appendAddedTextRest appends the added fields x[j:], as
// appendAddedTextBefore.
func appendAddedTextRest(b []byte, x []slog.Attr, j int) []byte {
	for ; j < len(x); j++ {
		b = encode.AppendTextField(b, x[j].Key, x[j].Value)
	}
	return b
}
