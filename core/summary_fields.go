package dockerflow

//go:generate go test -run ^(TestSummaryGenerated|TestSettingsDocumented)$ -update .

// summaryFields declares the fields of a request.summary, once, in the
// order of their keys: each one's key in mozlog's Fields, the Summary
// field that holds it, its kind, when it is written, its length cap and
// how a value from outside is made safe (its policy). The code that reads
// or writes the fields (summary_gen.go: AppendAttrs, the JSON and text
// lines, the capture from a request, the copy a request cut short keeps,
// the cap constants and a safe setter per policy) is generated from this
// table, so that adding a field is one line here and `go generate`, and
// no field can miss its redaction or its cap; TestSummaryGenerated fails
// while summary_gen.go is stale.
var summaryFields = []summaryField{
	{key: "agent", field: "Agent", policy: policyRequest, cap: 1024, from: `first(r.Header, "User-Agent")`, began: true},
	{key: "code", field: "Code", kind: kindInt},
	{key: "errno", field: "Errno", kind: kindInt},
	{key: "error", field: "Error", when: whenSet, policy: policyFailure, cap: 1024},
	{key: "lang", field: "Lang", policy: policyRequest, cap: 256, from: `first(r.Header, "Accept-Language")`, began: true},
	{key: "method", field: "Method", policy: policyRequest, cap: 256, from: `r.Method`, began: true},
	{key: "msg", field: "Msg", when: whenSet, policy: policyFailure, cap: 1024, message: true},
	// As spelled, escaped: /%5F_heartbeat__ is not the heartbeat.
	{key: "path", field: "Path", policy: policyRequest, cap: 2048, from: `r.URL.EscapedPath()`, began: true},
	{key: "querystring", field: "QueryString", when: whenQueryString, policy: policyQuery, cap: 2048, began: true},
	{key: "rid", field: "RID", began: true}, // 1 to 128 printable bytes, or a new UUID (track)
	{key: "route", field: "Route", when: whenSet, policy: policyRequest, cap: 512},
	{key: "status", field: "Status", when: whenSet}, // a gRPC status code's name (rpcStatus)
	{key: "t", field: "Duration", kind: kindMillis},
	{key: "trace_id", field: "TraceID", when: whenSet, began: true}, // 32 hex digits (traceID)
	{key: "traceback", field: "Traceback", when: whenSet, policy: policyFailure, cap: 6 << 10},
	{key: "uid", field: "UID", policy: policyRequest, cap: 256},
}

// summaryField is one row of summaryFields.
type summaryField struct {
	key, field string
	kind       fieldKind
	when       fieldWhen
	policy     fieldPolicy
	// cap bounds a string field's JSON encoding, in bytes (capField): a
	// longer value is cut and ends with "…".
	cap int
	// from is the expression track takes the field from, the request
	// being r; "" for a field set later.
	from string
	// began: the field is known when the request begins, and the summary
	// of a request cut short keeps it.
	began bool
	// message: the text line writes it as the entry's message, and
	// AppendAttrs leaves it out (it is the record's message).
	message bool
}

// The kinds of field.
type fieldKind uint8

const (
	kindString fieldKind = iota
	kindInt
	kindMillis // a time.Duration, written as whole milliseconds
)

// When a field is written.
type fieldWhen uint8

const (
	whenAlways      fieldWhen = iota
	whenSet                   // when not empty
	whenQueryString           // when HasQueryString
)

// How a value from outside is made safe before it is stored.
type fieldPolicy uint8

const (
	// policyNone: the value is validated where it is taken, or is a
	// number.
	policyNone fieldPolicy = iota
	// policyRequest: a string from the request or the application (path,
	// header, route, user ID): redact.Request, then the cap.
	policyRequest
	// policyQuery: a raw query string: redacted by parameter name before
	// it is decoded (redact.Query), then the cap.
	policyQuery
	// policyFailure: a failure's text (a panic's value, a handler's error,
	// a traceback): the first bytes, enough to fill the cap, redacted as
	// check messages are (redact.Text), then the cap.
	policyFailure
)
