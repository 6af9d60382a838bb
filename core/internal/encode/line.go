package encode

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Process facts, read once: the host name ("unknown" if it cannot be
// read), the pid and the executable's base name.
var Process = sync.OnceValue(func() (p struct {
	Hostname string
	Pid      int
	Exe      string
}) {
	p.Hostname, _ = os.Hostname()
	if p.Hostname == "" {
		p.Hostname = "unknown"
	}
	p.Pid = os.Getpid()
	if len(os.Args) > 0 {
		p.Exe = os.Args[0][strings.LastIndexAny(os.Args[0], `/\`)+1:]
	}
	return p
})

// Header is what a line says besides its fields.
type Header struct {
	Timestamp  int64 // ns since the epoch; negative is written as 0
	Type       string
	Logger     string
	Hostname   string
	EnvVersion string
	Severity   int // syslog, 0 to 7
	Pid        int
	// CloudSeverity adds "severity" with Google Cloud Logging's name of
	// Severity (DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT,
	// EMERGENCY), which Cloud Logging reads to colour and filter entries;
	// mozlog's numeric Severity stays.
	CloudSeverity bool
	// Text writes one human line instead of JSON, for a developer's
	// machine (DOCKERFLOW_LOG_FORMAT=text): time, severity, Type, message,
	// then the fields as key=value.
	Text bool
}

// AppendLine appends one mozlog line to b, newline included, and returns
// it. fields are the entry's fields (slog.Attr is used as a key and a
// value that holds basic types without allocating). msg joins them as
// "msg" unless it is empty (a field named "msg" then becomes
// "fields.msg"); a msg that is a JSON object is kept as it is, and its
// keys join the fields too, where no field has them (python-dockerflow
// #40: a message must never be lost). Fields is never empty; keys are sorted, and of fields sharing a key the last is
// kept. fields is modified (keys may be renamed, one appended if it has
// room).
//
// Whatever the fields hold, the line is whole, valid JSON and one line:
// error values are written as their text, values JSON cannot hold
// (channels, functions, NaN, cycles, panicking marshalers) as their %v
// text, objects nested in objects as their JSON text, invalid UTF-8 as
// U+FFFD. A line stays under MaxLine: the longest values are cut to fit.
func AppendLine(b []byte, h *Header, msg string, fields []slog.Attr) []byte {
	if h.Text {
		return appendText(b, h, msg, fields)
	}
	start := len(b)
	sev := min(max(h.Severity, 0), 7)
	cloud := ""
	if h.CloudSeverity {
		cloud = Severities[sev].Cloud
	}
	b = Envelope(b, h.Timestamp, h.Type, h.Logger, h.Hostname, h.EnvVersion, sev, cloud, h.Pid)

	if msg != "" || len(fields) == 0 {
		for i := range fields {
			if fields[i].Key == "msg" {
				fields[i].Key = "fields.msg"
			}
		}
		if LooksLikeObject(msg) {
			fields = withJSONFields(msg, fields)
		}
		fields = append(fields, slog.String("msg", msg))
	}
	var ibuf [32]int32
	idx := order(fields, ibuf[:])
	var hbuf [4]int32
	idx, top := hoist(fields, idx, hbuf[:0])
	at := len(b)
	for n, i := range idx {
		b = jsonField(b, fields[i].Key, fields[i].Value, n == 0)
	}
	end := len(b)
	b = appendTop(append(b, '}'), fields, top)
	if len(b)-start+len("}\n") > MaxLine {
		tail := len(b) - end - 1 // the members after Fields
		b = appendFitted(b[:at], fields, idx, MaxLine-(at-start)-tail-len("}}\n"), jsonField)
		b = appendTop(append(b, '}'), fields, top)
	}
	return append(b, "}\n"...)
}

// Hoisted reports whether a field is one of Google Cloud Logging's special
// fields, which it reads at the top of a line's JSON object, not in
// Fields: its request object (httpRequest) and the fields that link an
// entry to a trace (logging.googleapis.com/trace, spanId, trace_sampled,
// and the other logging.googleapis.com/ ones).
func Hoisted(key string) bool {
	return key == "httpRequest" || strings.HasPrefix(key, "logging.googleapis.com/")
}

// hoist moves the indexes of Hoisted fields from idx to top (in key
// order), unless they are all there is (Fields is never empty) or more
// than Cloud Logging has.
func hoist(fields []slog.Attr, idx, top []int32) (rest, hoisted []int32) {
	n := 0
	for _, i := range idx {
		if Hoisted(fields[i].Key) {
			n++
		}
	}
	if n == 0 || n == len(idx) || n > 8 {
		return idx, nil
	}
	rest = idx[:0]
	for _, i := range idx {
		if Hoisted(fields[i].Key) {
			top = append(top, i)
		} else {
			rest = append(rest, i)
		}
	}
	return rest, top
}

// appendTop appends the hoisted fields top, each as `,"key":value`.
func appendTop(b []byte, fields []slog.Attr, top []int32) []byte {
	for _, i := range top {
		b = AppendField(append(b, ','), fields[i].Key, fields[i].Value)
	}
	return b
}

// AppendField appends one member of Fields, `"key":value`, by the rules
// of AppendLine.
func AppendField(b []byte, key string, v slog.Value) []byte {
	b = String(b, key)
	b = append(b, ':')
	return appendValue(b, v, 0)
}

// order returns the indexes of fields in key order (stable), keeping only
// the last of fields that share a key: JSON objects must not repeat one.
// It sorts indexes, not the fields, which are large to move.
func order(fields []slog.Attr, buf []int32) []int32 {
	idx := buf[:0]
	sorted := true // strictly: no key twice
	for i := range fields {
		idx = append(idx, int32(i))
		sorted = sorted && (i == 0 || keyLess(fields[i-1].Key, fields[i].Key))
	}
	if sorted { // as most callers give them (a summary's AppendAttrs)
		return idx
	}
	if len(idx) <= 32 {
		// Insertion sort (few fields) on the keys' first 8 bytes, held
		// beside the indexes: most comparisons are of two numbers.
		var kbuf [32]prefixed
		keys := kbuf[:len(idx)]
		for n, i := range idx {
			keys[n] = prefixed{keyPrefix(fields[i].Key), i}
		}
		for i := 1; i < len(keys); i++ {
			x, j := keys[i], i
			for ; j > 0 && x.less(keys[j-1], fields); j-- {
				keys[j] = keys[j-1]
			}
			keys[j] = x
		}
		for n := range keys {
			idx[n] = keys[n].i
		}
	} else {
		slices.SortStableFunc(idx, func(a, b int32) int { return strings.Compare(fields[a].Key, fields[b].Key) })
	}
	out := idx[:0]
	for k, i := range idx {
		if k+1 < len(idx) && fields[idx[k+1]].Key == fields[i].Key {
			continue
		}
		out = append(out, i)
	}
	return out
}

// prefixed is a field's index with its key's first 8 bytes, big-endian.
type prefixed struct {
	pre uint64
	i   int32
}

func (a prefixed) less(b prefixed, fields []slog.Attr) bool {
	if a.pre != b.pre {
		return a.pre < b.pre
	}
	return fields[a.i].Key < fields[b.i].Key
}

// keyPrefix is k's first 8 bytes as a big-endian number, zeros after a
// shorter key: ordered as the keys are, ties broken on the whole keys.
func keyPrefix(k string) uint64 {
	var b [8]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:])
}

// keyLess is a < b, deciding on the first byte when it differs, as it
// mostly does between field names, without a call to compare strings.
func keyLess(a, b string) bool {
	if a != "" && b != "" && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// appendValue appends v as JSON. depth is the number of objects v is
// nested in within Fields: an object inside an object is written as its
// JSON text, so that Fields stays shallow.
func appendValue(b []byte, v slog.Value, depth int) []byte {
	switch v.Kind() {
	case slog.KindString:
		return String(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		return appendFloat(b, v.Float64())
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		return String(b, v.Duration().String())
	case slog.KindTime:
		return String(b, v.Time().Format(time.RFC3339Nano))
	case slog.KindLogValuer:
		return appendValue(b, v.Resolve(), depth)
	case slog.KindGroup:
		m := make(map[string]any, len(v.Group()))
		for _, a := range v.Group() {
			m[a.Key] = a.Value.Resolve().Any()
		}
		return appendAny(b, m, depth)
	}
	return appendAny(b, v.Any(), depth)
}

func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return String(b, strconv.FormatFloat(f, 'g', -1, 64)) // JSON has no NaN or Inf
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// appendAny appends any Go value. It never fails: what JSON cannot hold is
// written as its %v text.
func appendAny(b []byte, x any, depth int) []byte {
	switch x := x.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return String(b, x)
	case error:
		return String(b, errorText(x))
	case []byte:
		return String(b, string(x))
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err == nil {
			return append(b, x...)
		}
		return String(b, string(x))
	}
	raw, ok := marshal(x)
	if !ok || string(raw) == "{}" && hidesFields(x) {
		return String(b, fmtText(x))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var decoded any
	if err := dec.Decode(&decoded); err != nil {
		return String(b, string(raw))
	}
	return appendDecoded(b, decoded, raw, depth)
}

// appendDecoded writes a decoded JSON value, turning objects nested in an
// object into their JSON text.
func appendDecoded(b []byte, x any, raw []byte, depth int) []byte {
	switch x := x.(type) {
	case map[string]any:
		if depth >= 1 {
			if raw == nil {
				raw, _ = json.Marshal(x)
			}
			return String(b, string(raw))
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = String(b, k)
			b = append(b, ':')
			b = appendDecoded(b, x[k], nil, depth+1)
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDecoded(b, e, nil, depth)
		}
		return append(b, ']')
	case json.Number:
		return append(b, x...)
	case string:
		return String(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	}
	return append(b, "null"...)
}

// hidesFields reports whether x is a struct (or a pointer to one) whose
// fields JSON leaves out, all of them unexported, and that does not encode
// itself: json writes it {}, where its %v text says what it holds.
func hidesFields(x any) bool {
	if _, ok := x.(json.Marshaler); ok {
		return false
	}
	v := reflect.ValueOf(x)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Kind() == reflect.Struct && v.NumField() > 0
}

// marshal is json.Marshal that also survives a panicking MarshalJSON.
func marshal(x any) (raw []byte, ok bool) {
	defer func() {
		if recover() != nil {
			raw, ok = nil, false
		}
	}()
	raw, err := json.Marshal(x)
	return raw, err == nil
}

// errorText is err.Error(), or its %v text if Error panics.
func errorText(err error) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("%v", err) // fmt reports the panic in the text
		}
	}()
	return err.Error()
}

// fmtText is the %v text of x, guarded against values fmt would recurse
// into forever (maps and slices that contain themselves).
func fmtText(x any) string {
	if cyclic(reflect.ValueOf(x), map[uintptr]bool{}, 0) {
		return fmt.Sprintf("%T (cyclic value)", x)
	}
	return fmt.Sprintf("%v", x)
}

// cyclic reports whether v reaches itself through maps, slices or
// interfaces (fmt follows those, not pointers below the top), or nests
// deeper than 100 levels.
func cyclic(v reflect.Value, seen map[uintptr]bool, depth int) bool {
	if depth > 100 {
		return true
	}
	switch v.Kind() {
	case reflect.Interface:
		return !v.IsNil() && cyclic(v.Elem(), seen, depth+1)
	case reflect.Pointer:
		return depth == 0 && !v.IsNil() && cyclic(v.Elem(), seen, depth+1)
	case reflect.Map, reflect.Slice:
		if v.IsNil() {
			return false
		}
		p := v.Pointer()
		if v.Kind() == reflect.Slice {
			p ^= uintptr(v.Len()) << 1 // distinct sub-slices of one array
		}
		if seen[p] {
			return true
		}
		seen[p] = true
		defer delete(seen, p)
		if v.Kind() == reflect.Map {
			iter := v.MapRange()
			for iter.Next() {
				if cyclic(iter.Value(), seen, depth+1) {
					return true
				}
			}
			return false
		}
		fallthrough
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if cyclic(v.Index(i), seen, depth+1) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if cyclic(v.Field(i), seen, depth+1) {
				return true
			}
		}
	}
	return false
}

// DefaultEnvVersion is the mozlog envelope version written by default.
const DefaultEnvVersion = "2.0"

// DefaultType is the Type of an entry that sets none.
const DefaultType = "app.log"

// FillDefaults sets what h leaves empty or zero: Type to "app.log",
// Logger to the executable's name, Hostname and Pid to the machine's,
// EnvVersion to "2.0".
func (h *Header) FillDefaults() {
	p := Process()
	if h.Type == "" {
		h.Type = DefaultType
	}
	if h.Logger == "" {
		h.Logger = p.Exe
	}
	if h.Hostname == "" {
		h.Hostname = p.Hostname
	}
	if h.Pid == 0 {
		h.Pid = p.Pid
	}
	if h.EnvVersion == "" {
		h.EnvVersion = DefaultEnvVersion
	}
	h.capNames()
}

// WriteLine encodes one line into a pooled buffer, then writes it to w in
// a single Write while holding mu, so that lines from several goroutines
// never interleave.
func WriteLine(w io.Writer, mu sync.Locker, h *Header, msg string, fields []slog.Attr) error {
	bp := Buffer()
	line := AppendLine(*bp, h, msg, fields)
	mu.Lock()
	_, err := w.Write(line)
	mu.Unlock()
	Release(bp, line)
	return err
}

// withJSONFields returns fields with the keys of the JSON object msg in
// front (so that a field of the same key, later, wins), but "msg"; fields
// as they are when msg is not one.
func withJSONFields(msg string, fields []slog.Attr) []slog.Attr {
	dec := json.NewDecoder(strings.NewReader(msg))
	dec.UseNumber()
	var obj map[string]any
	if dec.Decode(&obj) != nil || dec.More() {
		return fields
	}
	out := make([]slog.Attr, 0, len(obj)+len(fields)+1)
	for k, v := range obj {
		if k != "msg" {
			out = append(out, slog.Any(k, v))
		}
	}
	return append(out, fields...)
}

// AnyText is the text of a value written as a string where a scalar is
// expected: an error's text, a string or bytes as they are, another value's
// JSON (a struct, a map, a slice), or its %v text when JSON cannot hold it.
func AnyText(x any) string {
	switch x := x.(type) {
	case nil:
		return "null"
	case string:
		return x
	case error:
		return errorText(x)
	case []byte:
		return string(x)
	}
	if raw, ok := marshal(x); ok && !(string(raw) == "{}" && hidesFields(x)) {
		return string(raw)
	}
	return fmtText(x)
}
