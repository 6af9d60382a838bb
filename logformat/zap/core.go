package mozlogzap

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"go.uber.org/zap/zapcore"
)

// NewCore returns a zapcore.Core that writes mozlog lines to w, with opts
// (nil means the zero Options: the executable's name as Logger, the
// machine's host name and pid), at the levels enab enables. Each line is
// written in one Write, lines of several goroutines never interleaved;
// Sync syncs w when it has a Sync method (an *os.File). opts.Level is not
// used: enab decides.
func NewCore(w io.Writer, opts *mozlog.Options, enab zapcore.LevelEnabler) zapcore.Core {
	c := &core{LevelEnabler: enab, out: zapcore.AddSync(w), mu: &sync.Mutex{}}
	if opts != nil {
		c.opts = *opts
	}
	return c
}

type core struct {
	zapcore.LevelEnabler
	opts   mozlog.Options
	out    zapcore.WriteSyncer
	mu     *sync.Mutex // shared by the cores derived from one another
	fields []slog.Attr // from With, converted
	prefix string      // from a namespace opened with With: "ns."
	typ    string      // from With(zap.String(mozlog.TypeKey, …))
}

func (c *core) With(fields []zapcore.Field) zapcore.Core {
	if len(fields) == 0 {
		return c
	}
	c2 := *c
	c2.fields = append([]slog.Attr(nil), c.fields...)
	for _, f := range fields {
		c2.fields, c2.prefix, c2.typ = appendField(c2.fields, c2.prefix, c2.typ, f)
	}
	return &c2
}

func (c *core) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c *core) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	var buf [24]slog.Attr
	attrs := append(buf[:0], c.fields...)
	prefix, typ := c.prefix, c.typ
	for _, f := range fields {
		attrs, prefix, typ = appendField(attrs, prefix, typ, f)
	}
	if ent.LoggerName != "" {
		attrs = append(attrs, slog.String("logger", ent.LoggerName))
	}
	if ent.Caller.Defined {
		attrs = append(attrs, slog.String("caller", ent.Caller.TrimmedPath()))
	}
	if ent.Stack != "" {
		attrs = append(attrs, slog.String("stacktrace", ent.Stack))
	}
	err := c.write(ent.Time, typ, slogLevel(ent.Level), ent.Message, attrs)
	if err == nil && ent.Level > zapcore.ErrorLevel {
		_ = c.Sync() // the process may end: the line must be out
	}
	return err
}

// write writes one entry's line in one Write.
func (c *core) write(at time.Time, typ string, level slog.Level, msg string, attrs []slog.Attr) error {
	bp := bufs.Get().(*[]byte)
	line := c.opts.AppendEntry((*bp)[:0], context.Background(), at, typ, level, msg, attrs)
	c.mu.Lock()
	_, err := c.out.Write(line)
	c.mu.Unlock()
	if cap(line) <= 64<<10 {
		*bp = line
		bufs.Put(bp)
	}
	return err
}

var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func (c *core) Sync() error { return c.out.Sync() }

// levels is the one table between zap's levels and the other front ends':
// each zap level and the slog level it stands for, from which mozlog's
// table gives the syslog severity.
var levels = [...]struct {
	zap  zapcore.Level
	slog slog.Level
}{
	{zapcore.FatalLevel, slog.LevelError + 4},  // critical, as logrus's fatal
	{zapcore.PanicLevel, slog.LevelError + 8},  // alert, as logrus's panic
	{zapcore.DPanicLevel, slog.LevelError + 4}, // critical
	{zapcore.ErrorLevel, slog.LevelError},
	{zapcore.WarnLevel, slog.LevelWarn},
	{zapcore.InfoLevel, slog.LevelInfo},
	{zapcore.DebugLevel, slog.LevelDebug},
}

// slogLevel is the slog level of a zap level: a level above fatal is
// fatal's, one below debug is debug's.
func slogLevel(l zapcore.Level) slog.Level {
	for _, x := range levels {
		if l >= x.zap {
			return x.slog
		}
	}
	return slog.LevelDebug
}

// appendField appends zap field f to attrs as mozlog writes it: its key
// after prefix (the namespaces opened before it), a namespace opening a
// prefix, a TypeKey string at the top setting the entry's Type, an object
// or an array as what zap's map encoder makes of it.
func appendField(attrs []slog.Attr, prefix, typ string, f zapcore.Field) ([]slog.Attr, string, string) {
	key := f.Key
	if prefix != "" {
		key = prefix + f.Key
	}
	switch f.Type {
	case zapcore.StringType:
		if prefix == "" && f.Key == mozlog.TypeKey {
			return attrs, prefix, f.String
		}
		return append(attrs, slog.String(key, f.String)), prefix, typ
	case zapcore.Int64Type, zapcore.Int32Type, zapcore.Int16Type, zapcore.Int8Type:
		return append(attrs, slog.Int64(key, f.Integer)), prefix, typ
	case zapcore.Uint64Type, zapcore.Uint32Type, zapcore.Uint16Type, zapcore.Uint8Type, zapcore.UintptrType:
		return append(attrs, slog.Uint64(key, uint64(f.Integer))), prefix, typ
	case zapcore.Float64Type:
		return append(attrs, slog.Float64(key, math.Float64frombits(uint64(f.Integer)))), prefix, typ
	case zapcore.Float32Type:
		return append(attrs, slog.Float64(key, float64(math.Float32frombits(uint32(f.Integer))))), prefix, typ
	case zapcore.BoolType:
		return append(attrs, slog.Bool(key, f.Integer == 1)), prefix, typ
	case zapcore.DurationType:
		return append(attrs, slog.Duration(key, time.Duration(f.Integer))), prefix, typ
	case zapcore.TimeType:
		t := time.Unix(0, f.Integer)
		if loc, ok := f.Interface.(*time.Location); ok {
			t = t.In(loc)
		}
		return append(attrs, slog.Time(key, t)), prefix, typ
	case zapcore.TimeFullType:
		t, _ := f.Interface.(time.Time)
		return append(attrs, slog.Time(key, t)), prefix, typ
	case zapcore.ErrorType, zapcore.ReflectType:
		return append(attrs, slog.Any(key, f.Interface)), prefix, typ // written as the error's text, or as JSON
	case zapcore.StringerType:
		return append(attrs, slog.String(key, stringerText(f.Interface))), prefix, typ
	case zapcore.ByteStringType:
		b, _ := f.Interface.([]byte)
		return append(attrs, slog.String(key, string(b))), prefix, typ
	case zapcore.BinaryType:
		b, _ := f.Interface.([]byte)
		return append(attrs, slog.String(key, base64.StdEncoding.EncodeToString(b))), prefix, typ
	case zapcore.Complex128Type, zapcore.Complex64Type:
		return append(attrs, slog.String(key, fmt.Sprint(f.Interface))), prefix, typ
	case zapcore.NamespaceType:
		return attrs, key + ".", typ
	case zapcore.SkipType:
		return attrs, prefix, typ
	case zapcore.InlineMarshalerType:
		if ids, ok := f.Interface.(contextIDs); ok { // Context: no map to build
			return ids.appendTo(attrs, prefix), prefix, typ
		}
	}
	// Objects, arrays, inline objects and types zap does not know: what
	// zap's own map encoder makes of them, its errors included.
	return appendMarshaled(attrs, prefix, f), prefix, typ
}

// appendMarshaled appends what zap's map encoder makes of f, in key
// order.
func appendMarshaled(attrs []slog.Attr, prefix string, f zapcore.Field) []slog.Attr {
	enc := zapcore.NewMapObjectEncoder()
	func() {
		defer func() {
			if v := recover(); v != nil {
				enc.Fields[f.Key+"Error"] = fmt.Sprintf("PANIC=%v", v)
			}
		}()
		if f.Type == zapcore.UnknownType {
			enc.Fields[f.Key] = fmt.Sprintf("%v", f.Interface) // zap would panic
			return
		}
		f.AddTo(enc)
	}()
	keys := make([]string, 0, len(enc.Fields))
	for k := range enc.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		attrs = append(attrs, slog.Any(prefix+k, enc.Fields[k]))
	}
	return attrs
}

// stringerText is x's String(), or what went wrong calling it.
func stringerText(x any) (s string) {
	defer func() {
		if v := recover(); v != nil {
			s = fmt.Sprintf("PANIC=%v", v)
		}
	}()
	if st, ok := x.(fmt.Stringer); ok {
		return st.String()
	}
	return fmt.Sprint(x)
}
