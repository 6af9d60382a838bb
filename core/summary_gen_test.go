package dockerflow

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated files (summary_gen.go, the tables of environment variables)")

// summary_gen.go is what summaryFields says: go generate (this test with
// -update) writes it; without -update the test fails while it is stale.
func TestSummaryGenerated(t *testing.T) {
	want := generateSummary()
	if *update {
		if err := os.WriteFile("summary_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("summary_gen.go")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("summary_gen.go is not what summaryFields says (%v): run go generate in core", err)
	}
}

// generateSummary writes the code of summary_gen.go from summaryFields.
func generateSummary() []byte {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	// guarded writes stmt, under cond when the field is not always
	// written.
	guarded := func(cond, stmt string) {
		if cond == "" {
			p("\t%s", stmt)
			return
		}
		p("\tif %s {", cond)
		p("\t\t%s", stmt)
		p("\t}")
	}
	p("// Code generated from summaryFields (summary_fields.go) by TestSummaryGenerated; DO NOT EDIT.")
	p("")
	p("package dockerflow")
	p("")
	p("import (")
	p("\t\"log/slog\"")
	p("\t\"net/http\"")
	p("\t\"strconv\"")
	p("")
	p("\t\"github.com/dockerflow-go/dockerflow/core/internal/encode\"")
	p("\t\"github.com/dockerflow-go/dockerflow/core/internal/redact\"")
	p(")")
	p("")

	p("// The caps of the string fields, in bytes of their JSON encoding.")
	p("const (")
	for _, f := range summaryFields {
		if f.cap > 0 {
			p("\tcap%s = %d", f.field, f.cap)
		}
	}
	p(")")
	p("")

	// One safe setter per field with a policy.
	for _, f := range summaryFields {
		switch f.policy {
		case policyRequest:
			p("// safe%s is v made safe to store as the summary's %s: redacted, then capped.", f.field, f.key)
			p("func (s *Service) safe%s(v string) string { return s.requestText(v, cap%s) }", f.field, f.field)
		case policyQuery:
			p("// safe%s is the raw query string v made safe to store as the summary's %s:", f.field, f.key)
			p("// redacted by parameter name before it is decoded, then capped.")
			p("func (s *Service) safe%s(v string) string {", f.field)
			p("\treturn capField(redact.Query(bounded(v, cap%s), s.keys), cap%s)", f.field, f.field)
			p("}")
		case policyFailure:
			p("// safe%s is the failure text v made safe to store as the summary's %s:", f.field, f.key)
			p("// its first bytes redacted as check messages are, then capped.")
			p("func (s *Service) safe%s(v string) string {", f.field)
			p("\treturn capField(redact.Text(bounded(v, cap%s), s.keys, nil), cap%s)", f.field, f.field)
			p("}")
		default:
			continue
		}
		p("")
	}

	p("// captureRequest sets the fields of sum taken from the request r when")
	p("// it begins, each through its policy.")
	p("func (s *Service) captureRequest(sum *Summary, r *http.Request) {")
	for _, f := range summaryFields {
		if f.from != "" {
			p("\tsum.%s = s.safe%s(%s)", f.field, f.field, f.from)
		}
	}
	p("}")
	p("")

	p("// began returns the fields of sum known when the request began: the")
	p("// summary of a request cut short keeps them.")
	p("func (sum *Summary) began() Summary {")
	p("\treturn Summary{")
	for _, f := range summaryFields {
		if f.began {
			p("\t\t%s: sum.%s,", f.field, f.field)
			if f.when == whenQueryString {
				p("\t\tHasQueryString: sum.HasQueryString,")
			}
		}
	}
	p("\t}")
	p("}")
	p("")

	var keys []string
	for _, f := range summaryFields {
		if !f.message {
			keys = append(keys, f.key)
		}
	}
	p("// AppendAttrs appends the summary's fields to dst, as mozlog names them")
	p("// and in the order of their names (%s), each", strings.Join(keys, ", "))
	p("// optional one only when it is set: a Logger that writes through")
	p("// another library logs these, so that every Logger writes the same")
	p("// fields. The fields the handler added (Fields) follow. %d attributes", len(keys))
	p("// of room in dst, and one per added field, avoid an allocation.")
	p("func (s *Summary) AppendAttrs(dst []slog.Attr) []slog.Attr {")
	for _, f := range summaryFields {
		if f.message {
			continue
		}
		cond, attr := fieldCond(f, "s"), ""
		switch f.kind {
		case kindInt:
			attr = fmt.Sprintf("slog.Int(%q, s.%s)", f.key, f.field)
		case kindMillis:
			attr = fmt.Sprintf("slog.Int64(%q, s.%s.Milliseconds())", f.key, f.field)
		default:
			attr = fmt.Sprintf("slog.String(%q, s.%s)", f.key, f.field)
		}
		guarded(cond, "dst = append(dst, "+attr+")")
	}
	p("\treturn append(dst, s.addedFields()...)")
	p("}")
	p("")

	p("// appendSummaryFields appends the members of a summary's JSON Fields")
	p("// object, in the order of their keys, msg among them when it is set,")
	p("// and the added fields (sorted by key) among them.")
	p("func appendSummaryFields(b []byte, sum *Summary) []byte {")
	p("\tx, j := sum.addedFields(), 0")
	first := true
	for _, f := range summaryFields {
		name := fmt.Sprintf("%q:", f.key)
		if !first {
			name = "," + name
		}
		cond := fieldCond(f, "sum")
		if first {
			if cond != "" {
				panic("the first field, " + f.key + ", is written only when set: the added fields before it would need a comma")
			}
			p("\tfor ; j < len(x) && x[j].Key < %q; j++ {", f.key)
			p("\t\tb = append(encode.AppendField(b, x[j].Key, x[j].Value), ',')")
			p("\t}")
		} else {
			p("\tif j < len(x) {")
			p("\t\tb, j = appendAddedBefore(b, x, j, %q)", f.key)
			p("\t}")
		}
		if cond == "" {
			first = false
		}
		body := ""
		switch f.kind {
		case kindInt:
			body = fmt.Sprintf("b = strconv.AppendInt(append(b, `%s`...), int64(sum.%s), 10)", name, f.field)
		case kindMillis:
			body = fmt.Sprintf("b = strconv.AppendInt(append(b, `%s`...), sum.%s.Milliseconds(), 10)", name, f.field)
		default:
			body = fmt.Sprintf("b = encode.String(append(b, `%s`...), sum.%s)", name, f.field)
		}
		guarded(cond, body)
	}
	p("\treturn appendAddedRest(b, x, j)")
	p("}")
	p("")

	p("// appendSummaryFieldsText appends a summary's fields as the text line")
	p("// writes them: \" key=value\", in the order of their keys; msg is the")
	p("// line's message, written before them; the added fields (sorted by")
	p("// key) among them.")
	p("func appendSummaryFieldsText(b []byte, sum *Summary) []byte {")
	p("\tx, j := sum.addedFields(), 0")
	for _, f := range summaryFields {
		if f.message {
			continue
		}
		p("\tif j < len(x) {")
		p("\t\tb, j = appendAddedTextBefore(b, x, j, %q)", f.key)
		p("\t}")
		cond := fieldCond(f, "sum")
		body := ""
		switch f.kind {
		case kindInt:
			body = fmt.Sprintf("b = strconv.AppendInt(append(b, \" %s=\"...), int64(sum.%s), 10)", f.key, f.field)
		case kindMillis:
			body = fmt.Sprintf("b = strconv.AppendInt(append(b, \" %s=\"...), sum.%s.Milliseconds(), 10)", f.key, f.field)
		default:
			body = fmt.Sprintf("b = encode.TextValue(append(b, \" %s=\"...), sum.%s)", f.key, f.field)
		}
		guarded(cond, body)
	}
	p("\treturn appendAddedTextRest(b, x, j)")
	p("}")

	out, err := format.Source([]byte(b.String()))
	if err != nil {
		panic(fmt.Sprintf("the generated summary code does not parse: %v\n%s", err, b.String()))
	}
	return out
}

// fieldCond is the condition under which f is written, "" for always; v
// names the summary.
func fieldCond(f summaryField, v string) string {
	switch f.when {
	case whenSet:
		return fmt.Sprintf("%s.%s != \"\"", v, f.field)
	case whenQueryString:
		return v + ".HasQueryString"
	}
	return ""
}
