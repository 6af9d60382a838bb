// Code generated from summaryFields (summary_fields.go) by TestSummaryGenerated; DO NOT EDIT.

package dockerflow

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/internal/redact"
)

// The caps of the string fields, in bytes of their JSON encoding.
const (
	capAgent       = 1024
	capError       = 1024
	capLang        = 256
	capMethod      = 256
	capMsg         = 1024
	capPath        = 2048
	capQueryString = 2048
	capRoute       = 512
	capTraceback   = 6144
	capUID         = 256
)

// safeAgent is v made safe to store as the summary's agent: redacted, then capped.
func (s *Service) safeAgent(v string) string { return s.requestText(v, capAgent) }

// safeError is the failure text v made safe to store as the summary's error:
// its first bytes redacted as check messages are, then capped.
func (s *Service) safeError(v string) string {
	return capField(redact.Text(bounded(v, capError), s.keys, nil), capError)
}

// safeLang is v made safe to store as the summary's lang: redacted, then capped.
func (s *Service) safeLang(v string) string { return s.requestText(v, capLang) }

// safeMethod is v made safe to store as the summary's method: redacted, then capped.
func (s *Service) safeMethod(v string) string { return s.requestText(v, capMethod) }

// safeMsg is the failure text v made safe to store as the summary's msg:
// its first bytes redacted as check messages are, then capped.
func (s *Service) safeMsg(v string) string {
	return capField(redact.Text(bounded(v, capMsg), s.keys, nil), capMsg)
}

// safePath is v made safe to store as the summary's path: redacted, then capped.
func (s *Service) safePath(v string) string { return s.requestText(v, capPath) }

// safeQueryString is the raw query string v made safe to store as the summary's querystring:
// redacted by parameter name before it is decoded, then capped.
func (s *Service) safeQueryString(v string) string {
	return capField(redact.Query(bounded(v, capQueryString), s.keys), capQueryString)
}

// safeRoute is v made safe to store as the summary's route: redacted, then capped.
func (s *Service) safeRoute(v string) string { return s.requestText(v, capRoute) }

// safeTraceback is the failure text v made safe to store as the summary's traceback:
// its first bytes redacted as check messages are, then capped.
func (s *Service) safeTraceback(v string) string {
	return capField(redact.Text(bounded(v, capTraceback), s.keys, nil), capTraceback)
}

// safeUID is v made safe to store as the summary's uid: redacted, then capped.
func (s *Service) safeUID(v string) string { return s.requestText(v, capUID) }

// captureRequest sets the fields of sum taken from the request r when
// it begins, each through its policy.
func (s *Service) captureRequest(sum *Summary, r *http.Request) {
	sum.Agent = s.safeAgent(first(r.Header, "User-Agent"))
	sum.Lang = s.safeLang(first(r.Header, "Accept-Language"))
	sum.Method = s.safeMethod(r.Method)
	sum.Path = s.safePath(r.URL.EscapedPath())
}

// began returns the fields of sum known when the request began: the
// summary of a request cut short keeps them.
func (sum *Summary) began() Summary {
	return Summary{
		Agent:          sum.Agent,
		Lang:           sum.Lang,
		Method:         sum.Method,
		Path:           sum.Path,
		QueryString:    sum.QueryString,
		HasQueryString: sum.HasQueryString,
		RID:            sum.RID,
		TraceID:        sum.TraceID,
	}
}

// AppendAttrs appends the summary's fields to dst, as mozlog names them
// and in the order of their names (agent, code, errno, error, lang, method, path, querystring, rid, route, status, t, trace_id, traceback, uid), each
// optional one only when it is set: a Logger that writes through
// another library logs these, so that every Logger writes the same
// fields. The fields the handler added (Fields) follow. 15 attributes
// of room in dst, and one per added field, avoid an allocation.
func (s *Summary) AppendAttrs(dst []slog.Attr) []slog.Attr {
	dst = append(dst, slog.String("agent", s.Agent))
	dst = append(dst, slog.Int("code", s.Code))
	dst = append(dst, slog.Int("errno", s.Errno))
	if s.Error != "" {
		dst = append(dst, slog.String("error", s.Error))
	}
	dst = append(dst, slog.String("lang", s.Lang))
	dst = append(dst, slog.String("method", s.Method))
	dst = append(dst, slog.String("path", s.Path))
	if s.HasQueryString {
		dst = append(dst, slog.String("querystring", s.QueryString))
	}
	dst = append(dst, slog.String("rid", s.RID))
	if s.Route != "" {
		dst = append(dst, slog.String("route", s.Route))
	}
	if s.Status != "" {
		dst = append(dst, slog.String("status", s.Status))
	}
	dst = append(dst, slog.Int64("t", s.Duration.Milliseconds()))
	if s.TraceID != "" {
		dst = append(dst, slog.String("trace_id", s.TraceID))
	}
	if s.Traceback != "" {
		dst = append(dst, slog.String("traceback", s.Traceback))
	}
	dst = append(dst, slog.String("uid", s.UID))
	return append(dst, s.addedFields()...)
}

// appendSummaryFields appends the members of a summary's JSON Fields
// object, in the order of their keys, msg among them when it is set,
// and the added fields (sorted by key) among them.
func appendSummaryFields(b []byte, sum *Summary) []byte {
	x, j := sum.addedFields(), 0
	for ; j < len(x) && x[j].Key < "agent"; j++ {
		b = append(encode.AppendField(b, x[j].Key, x[j].Value), ',')
	}
	b = encode.String(append(b, `"agent":`...), sum.Agent)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "code")
	}
	b = strconv.AppendInt(append(b, `,"code":`...), int64(sum.Code), 10)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "errno")
	}
	b = strconv.AppendInt(append(b, `,"errno":`...), int64(sum.Errno), 10)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "error")
	}
	if sum.Error != "" {
		b = encode.String(append(b, `,"error":`...), sum.Error)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "lang")
	}
	b = encode.String(append(b, `,"lang":`...), sum.Lang)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "method")
	}
	b = encode.String(append(b, `,"method":`...), sum.Method)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "msg")
	}
	if sum.Msg != "" {
		b = encode.String(append(b, `,"msg":`...), sum.Msg)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "path")
	}
	b = encode.String(append(b, `,"path":`...), sum.Path)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "querystring")
	}
	if sum.HasQueryString {
		b = encode.String(append(b, `,"querystring":`...), sum.QueryString)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "rid")
	}
	b = encode.String(append(b, `,"rid":`...), sum.RID)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "route")
	}
	if sum.Route != "" {
		b = encode.String(append(b, `,"route":`...), sum.Route)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "status")
	}
	if sum.Status != "" {
		b = encode.String(append(b, `,"status":`...), sum.Status)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "t")
	}
	b = strconv.AppendInt(append(b, `,"t":`...), sum.Duration.Milliseconds(), 10)
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "trace_id")
	}
	if sum.TraceID != "" {
		b = encode.String(append(b, `,"trace_id":`...), sum.TraceID)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "traceback")
	}
	if sum.Traceback != "" {
		b = encode.String(append(b, `,"traceback":`...), sum.Traceback)
	}
	if j < len(x) {
		b, j = appendAddedBefore(b, x, j, "uid")
	}
	b = encode.String(append(b, `,"uid":`...), sum.UID)
	return appendAddedRest(b, x, j)
}

// appendSummaryFieldsText appends a summary's fields as the text line
// writes them: " key=value", in the order of their keys; msg is the
// line's message, written before them; the added fields (sorted by
// key) among them.
func appendSummaryFieldsText(b []byte, sum *Summary) []byte {
	x, j := sum.addedFields(), 0
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "agent")
	}
	b = encode.TextValue(append(b, " agent="...), sum.Agent)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "code")
	}
	b = strconv.AppendInt(append(b, " code="...), int64(sum.Code), 10)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "errno")
	}
	b = strconv.AppendInt(append(b, " errno="...), int64(sum.Errno), 10)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "error")
	}
	if sum.Error != "" {
		b = encode.TextValue(append(b, " error="...), sum.Error)
	}
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "lang")
	}
	b = encode.TextValue(append(b, " lang="...), sum.Lang)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "method")
	}
	b = encode.TextValue(append(b, " method="...), sum.Method)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "path")
	}
	b = encode.TextValue(append(b, " path="...), sum.Path)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "querystring")
	}
	if sum.HasQueryString {
		b = encode.TextValue(append(b, " querystring="...), sum.QueryString)
	}
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "rid")
	}
	b = encode.TextValue(append(b, " rid="...), sum.RID)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "route")
	}
	if sum.Route != "" {
		b = encode.TextValue(append(b, " route="...), sum.Route)
	}
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "status")
	}
	if sum.Status != "" {
		b = encode.TextValue(append(b, " status="...), sum.Status)
	}
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "t")
	}
	b = strconv.AppendInt(append(b, " t="...), sum.Duration.Milliseconds(), 10)
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "trace_id")
	}
	if sum.TraceID != "" {
		b = encode.TextValue(append(b, " trace_id="...), sum.TraceID)
	}
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "traceback")
	}
	if sum.Traceback != "" {
		b = encode.TextValue(append(b, " traceback="...), sum.Traceback)
	}
	if j < len(x) {
		b, j = appendAddedTextBefore(b, x, j, "uid")
	}
	b = encode.TextValue(append(b, " uid="...), sum.UID)
	return appendAddedTextRest(b, x, j)
}
