package mozlogzerolog

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
	"github.com/rs/zerolog"
)

// New returns a zerolog.Logger that writes mozlog lines to w, with opts
// (nil means the zero Options: the executable's name as Logger, the
// machine's host name and pid), at zerolog's default level (trace: every
// event; set another with Level). Events given a context (Ctx) get its
// request ID and trace ID.
func New(w io.Writer, opts *mozlog.Options) zerolog.Logger {
	return zerolog.New(NewWriter(w, opts)).Hook(contextHook{})
}

// Writer is a zerolog.LevelWriter that writes each event zerolog
// encodes as a mozlog line to its output, in one Write: lines of several
// goroutines never interleave. New uses it; build a logger on it directly
// to compose it with zerolog's own writers (zerolog.MultiLevelWriter).
type Writer struct {
	opts mozlog.Options
	out  io.Writer
	mu   sync.Mutex
}

var _ zerolog.LevelWriter = (*Writer)(nil)

// NewWriter returns a Writer writing to w; opts may be nil.
func NewWriter(w io.Writer, opts *mozlog.Options) *Writer {
	wr := &Writer{out: w}
	if opts != nil {
		wr.opts = *opts
	}
	return wr
}

// Options returns the options w writes with.
func (w *Writer) Options() mozlog.Options { return w.opts }

// Write implements io.Writer: p is one event of a logger without levels.
func (w *Writer) Write(p []byte) (int, error) { return w.WriteLevel(zerolog.NoLevel, p) }

// WriteLevel implements zerolog.LevelWriter: p is one event zerolog
// encoded, at level.
func (w *Writer) WriteLevel(level zerolog.Level, p []byte) (int, error) {
	sc := scratches.Get().(*scratch)
	ev := parseEvent(p, sc.attrs[:0])
	if level == zerolog.NoLevel && ev.level != "" {
		if l, err := zerolog.ParseLevel(ev.level); err == nil {
			level = l
		}
	}
	if err := w.writeWith(sc, time.Time{}, ev.typ, slogLevel(level), ev.msg, ev.attrs); err != nil {
		return 0, err
	}
	return len(p), nil
}

// write writes one entry's line in one Write.
func (w *Writer) write(at time.Time, typ string, level slog.Level, msg string, attrs []slog.Attr) error {
	return w.writeWith(scratches.Get().(*scratch), at, typ, level, msg, attrs)
}

// writeWith is write in sc's memory, which it gives back.
func (w *Writer) writeWith(sc *scratch, at time.Time, typ string, level slog.Level, msg string, attrs []slog.Attr) error {
	line := w.opts.AppendEntry(sc.line[:0], context.Background(), at, typ, level, msg, attrs)
	w.mu.Lock()
	_, err := w.out.Write(line)
	w.mu.Unlock()
	if cap(line) <= 64<<10 && cap(sc.attrs) <= 256 {
		clear(sc.attrs[:cap(sc.attrs)]) // nothing of this event kept alive
		sc.line = line
		scratches.Put(sc)
	}
	return err
}

// scratch is the memory an event's line is made in, pooled: the line and
// the event's fields.
type scratch struct {
	line  []byte
	attrs []slog.Attr
}

var scratches = sync.Pool{New: func() any {
	return &scratch{line: make([]byte, 0, 1024), attrs: make([]slog.Attr, 0, 24)}
}}

// levels is the one table between zerolog's levels and the other front
// ends': each zerolog level and the slog level it stands for, from which
// mozlog's table gives the syslog severity.
var levels = [...]struct {
	zerolog zerolog.Level
	slog    slog.Level
}{
	{zerolog.PanicLevel, slog.LevelError + 8}, // alert, as logrus's panic
	{zerolog.FatalLevel, slog.LevelError + 4}, // critical, as logrus's fatal
	{zerolog.ErrorLevel, slog.LevelError},
	{zerolog.WarnLevel, slog.LevelWarn},
	{zerolog.NoLevel, slog.LevelInfo},
	{zerolog.InfoLevel, slog.LevelInfo},
	{zerolog.DebugLevel, slog.LevelDebug},
	{zerolog.TraceLevel, slog.LevelDebug - 4},
}

// slogLevel is the slog level of a zerolog level: a custom level below
// trace is trace's, any other unknown one info's.
func slogLevel(l zerolog.Level) slog.Level {
	for _, x := range levels {
		if x.zerolog == l {
			return x.slog
		}
	}
	if l < zerolog.TraceLevel {
		return slog.LevelDebug - 4
	}
	return slog.LevelInfo
}
