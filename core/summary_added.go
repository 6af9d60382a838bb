package dockerflow

import (
	"context"
	"log/slog"
	"math"
	"strconv"
	"sync/atomic"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/internal/redact"
)

// AddFields adds attrs to the request.summary of the request or RPC whose
// context is ctx, so that one line says what the request did (a "wide
// event": the account, the plan, the cache outcome, the rows read):
//
//	dockerflow.AddFields(r.Context(), slog.String("plan", "pro"), slog.Int("rows", n))
//
// It reports false when ctx belongs to no request tracked by the
// middleware, or to one whose summary is written already.
//
// The fields pass through the summary's one field policy, as its own
// fields do:
//   - A key that would shadow one of the summary's own fields (agent,
//     code, errno, path, rid, t, uid, …, and mozlog's Type) gets the
//     prefix "app." ("app.code"): the contract's fields keep their meaning
//     for every dashboard, and the value is not lost.
//   - Fields stay shallow: a group's attributes become dotted keys
//     ("db.rows"); a value that is neither a string, a number, a bool, a
//     duration nor a time is written as its text (an error's Error(),
//     another value's JSON or %v text).
//   - Every text is redacted as the request's own strings are, the value
//     of a key that names a secret (Config.SensitiveKeys: "password",
//     "token"…) entirely; a value is capped at 1 KiB of JSON, a key at 64
//     bytes.
//   - At most 32 fields and 4 KiB in all per request, and less when the
//     summary's own fields are long, so that the line stays under 16 KiB:
//     fields beyond that are dropped, and the summary says how many in
//     "fields_dropped".
//
// A key added again replaces its value. Fields added before a request is
// cut short by Close stay in its summary.
func AddFields(ctx context.Context, attrs ...slog.Attr) bool {
	t, ok := ctx.Value(trackerKey{}).(*Tracker)
	if !ok {
		return false
	}
	return t.addFields(attrs)
}

// The bounds of the fields a handler adds to its summary (AddFields).
const (
	maxAddedFields = 32
	maxAddedBytes  = 4 << 10 // JSON of the keys and values, all added fields
	capAddedKey    = 64
	capAddedValue  = 1 << 10
	// summaryBudget bounds the JSON of a summary's Fields, so that its
	// line, envelope included, stays under the 16 KiB at which container
	// runtimes split lines: added fields get what the summary's own
	// fields leave of it.
	summaryBudget = 15 << 10
	// addedPrefix is put before an added key that would shadow one of the
	// summary's own fields.
	addedPrefix = "app."
	// fieldsDropped counts the added fields a summary could not hold, as
	// the encoder counts the fields of a line it could not hold.
	fieldsDropped = encode.FieldsDropped
)

// reservedKeys are the keys an added field cannot take: the summary's own
// fields (summaryFields), mozlog's Type (which the log/slog and logrus
// front ends read as the entry's), the count of dropped fields, and the
// names of the summary's opt-in fields; and Cloud Logging's fields
// (encode.Hoisted), which the encoder writes at the top of the line.
var reservedKeys = func() map[string]bool {
	m := map[string]bool{"Type": true, fieldsDropped: true, optSize: true, optRemoteChain: true, optCloud: true}
	for _, f := range summaryFields {
		m[f.key] = true
	}
	return m
}()

// added are the fields a handler added to its request's summary, made
// safe: guarded by the tracker's mu.
type added struct {
	fields  []slog.Attr
	size    int // JSON bytes of fields' keys and values
	dropped int // fields refused for want of room
}

// addFields adds attrs to the summary of t's request, unless it is
// written already.
func (t *Tracker) addFields(attrs []slog.Attr) bool {
	if t.ended.Load() {
		return false
	}
	var buf [8]slog.Attr
	safe := buf[:0]
	for _, a := range attrs {
		safe = t.svc.safeAdded(safe, "", a, 0)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	// finish, which ends the summary, looks for added fields after it
	// marks it ended: one of the two sees the other.
	t.hasAdded.Store(true)
	if t.ended.Load() {
		return false
	}
	if t.added.fields == nil {
		t.added.fields = make([]slog.Attr, 0, max(len(safe), 8))
	}
	for _, a := range safe {
		t.added.put(a)
	}
	return true
}

// put adds a, replacing the value of a field with its key, within the
// bounds.
func (x *added) put(a slog.Attr) {
	size := addedSize(a)
	for i := range x.fields {
		if x.fields[i].Key == a.Key {
			if x.size-addedSize(x.fields[i])+size > maxAddedBytes {
				x.dropped++
				return
			}
			x.size += size - addedSize(x.fields[i])
			x.fields[i] = a
			return
		}
	}
	if len(x.fields) == maxAddedFields || x.size+size > maxAddedBytes {
		x.dropped++
		return
	}
	x.fields = append(x.fields, a)
	x.size += size
}

// take returns optIn then x's fields, for a summary whose own fields are
// sum's, dropping from the end those that would take the line over its
// budget, with fields_dropped counting every field dropped.
func (x *added) take(sum *Summary, optIn []slog.Attr) []slog.Attr {
	fields, dropped := x.fields, x.dropped
	size := x.size
	for _, a := range optIn {
		size += addedSize(a)
	}
	if room := summaryBudget - len(`,"fields_dropped":99`); size > room-sum.ownSizeBound() {
		room -= sum.ownSize()
		for len(fields) > 0 && size > room {
			size -= addedSize(fields[len(fields)-1])
			fields = fields[:len(fields)-1]
			dropped++
		}
	}
	if len(optIn) == 0 && dropped == 0 {
		return fields // x is read no more
	}
	out := make([]slog.Attr, 0, len(optIn)+len(fields)+1)
	out = append(append(out, optIn...), fields...)
	if dropped > 0 {
		out = append(out, slog.Int(fieldsDropped, dropped))
	}
	return out
}

// addedKey returns the key an added field named name (inside groups
// prefix) is logged under (capped, "_" for none, prefixed with
// addedPrefix when it would shadow a summary's own field), and whether
// any part of that dotted key names a secret: a group's name too
// (password.value). The service remembers the keys it saw last
// (addedKeyCache), by the dotted key: keys are most often constants of
// the application's code.
func (s *Service) addedKey(prefix, name string) (key string, sensitive bool) {
	full := name
	if prefix != "" {
		full = prefix + name
	}
	slot := &s.addedKeys[addedKeySlot(full)]
	if k := slot.Load(); k != nil && k.name == full {
		return k.key, k.sensitive
	}
	key = s.requestText(full, capAddedKey)
	if key == "" {
		key = "_"
	}
	if reservedKeys[key] || encode.Hoisted(key) {
		key = addedPrefix + key
	}
	sensitive = s.keys.Sensitive(full, false) // a group's name too: password.value
	if len(full) <= capAddedKey {
		slot.Store(&addedKeyInfo{full, key, sensitive})
	}
	return key, sensitive
}

// addedKeyCache remembers, for the keys of added fields, what addedKey
// found: a slot per key, chosen by its length and bytes, holding the last
// key that fell in it.
type addedKeyCache [128]atomic.Pointer[addedKeyInfo]

// addedKeyInfo is what addedKey found of a key, name.
type addedKeyInfo struct {
	name, key string
	sensitive bool
}

func addedKeySlot(k string) int {
	h := uint(len(k))
	for i := 0; i < len(k) && i < 16; i++ {
		h = h*31 + uint(k[i])
	}
	return int(h & 127)
}

// sortByKey sorts fields by key (insertion: a few, mostly sorted).
func sortByKey(fields []slog.Attr) {
	for i := 1; i < len(fields); i++ {
		for j := i; j > 0 && fields[j].Key < fields[j-1].Key; j-- {
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
}

// addedSize is the JSON bytes a safe added field takes in Fields: key,
// value, quotes and separators.
func addedSize(a slog.Attr) int {
	n := jsonSize(a.Key) + 4
	switch a.Value.Kind() {
	case slog.KindString:
		return n + jsonSize(a.Value.String()) + 2
	case slog.KindBool:
		return n + 5
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case []string: // remoteAddressChain
			for _, s := range v {
				n += len(s) + 3
			}
			return n + 2
		case cloudHTTPRequest:
			return n + 160 + jsonSize(v.RequestMethod) + jsonSize(v.RequestURL) + jsonSize(v.UserAgent) + jsonSize(v.Protocol) +
				len(v.ResponseSize) + len(v.RemoteIP) + len(v.Latency)
		}
	}
	return n + 40 // a number, a duration or a time's text
}

// ownSizeBound is a bound of ownSize that costs no scan: every byte of the
// strings escaped.
func (sum *Summary) ownSizeBound() int {
	n := 320
	for _, s := range [...]string{sum.Agent, sum.Lang, sum.Method, sum.Path, sum.QueryString, sum.RID, sum.Route,
		sum.Status, sum.TraceID, sum.UID, sum.Msg, sum.Error, sum.Traceback} {
		n += 6 * len(s)
	}
	return n
}

// ownSize is the JSON bytes of the summary's own fields, a bound: the
// strings as encoded, and room for the keys, numbers and separators.
func (sum *Summary) ownSize() int {
	n := 320
	for _, s := range [...]string{sum.Agent, sum.Lang, sum.Method, sum.Path, sum.QueryString, sum.RID, sum.Route,
		sum.Status, sum.TraceID, sum.UID, sum.Msg, sum.Error, sum.Traceback} {
		n += jsonSize(s)
	}
	return n
}

// safeAdded appends a, made safe to store as added fields of a summary,
// to dst: its key prefixed (prefix, from the groups around it) and
// capped, and prefixed with addedPrefix when it would shadow a
// summary's own field; a group flattened into dotted keys; a value
// redacted and capped, or written as its text when it is not a scalar.
func (s *Service) safeAdded(dst []slog.Attr, prefix string, a slog.Attr, depth int) []slog.Attr {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) || len(dst) > maxAddedFields {
		return dst
	}
	if a.Value.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			if depth < 8 {
				dst = s.safeAdded(dst, prefix, g, depth+1)
			}
		}
		return dst
	}
	key, sensitive := s.addedKey(prefix, a.Key)
	if sensitive {
		return append(dst, slog.String(key, redact.Redacted))
	}
	v := a.Value
	switch v.Kind() {
	case slog.KindString:
		v = slog.StringValue(s.requestText(v.String(), capAddedValue))
	case slog.KindFloat64:
		if f := v.Float64(); math.IsNaN(f) || math.IsInf(f, 0) {
			v = slog.StringValue(strconv.FormatFloat(f, 'g', -1, 64)) // JSON has no NaN or Inf
		}
	case slog.KindInt64, slog.KindUint64, slog.KindBool, slog.KindDuration, slog.KindTime:
	default:
		v = slog.StringValue(s.requestText(bounded(encode.AnyText(v.Any()), capAddedValue), capAddedValue))
	}
	return append(dst, slog.Attr{Key: key, Value: v})
}
