package mozlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/encode"
	"github.com/dockerflow-go/dockerflow/core/internal/reqid"
)

// Options configures every mozlog front end: dockerflow.MozlogLogger, the
// log/slog Handler of this package, and the logformat module's logrus
// Formatter (OptionsFromEnv reads the environment's log settings). The zero value works: each entry then gets the executable's
// name as Logger, the machine's host name and pid, and mozlog JSON.
type Options struct {
	// Logger is the mozlog Logger, the application's name; by default the
	// executable's name.
	Logger string
	// Type is the Type of entries that set none with TypeKey; "app.log"
	// by default.
	Type string
	// EnvVersion is the mozlog envelope version, "2.0" by default.
	EnvVersion string
	// Hostname and Pid replace the machine's, read once per process.
	Hostname string
	Pid      int
	// Now, if set, replaces the entries' time (for reproducible output).
	Now func() time.Time
	// CloudSeverity adds Google Cloud Logging's "severity" ("ERROR"…)
	// beside mozlog's numeric Severity, which Cloud Logging ignores
	// (DOCKERFLOW_LOG_CLOUD_SEVERITY=true; OptionsFromEnv).
	CloudSeverity bool
	// Text writes one human line per entry instead of mozlog JSON, for a
	// developer's machine: time, severity, Type, message, then the fields
	// as key=value (DOCKERFLOW_LOG_FORMAT=text; OptionsFromEnv).
	Text bool
	// Level is the lowest level of the entries written by the slog
	// Handler, and of the events (never the summaries) of MozlogLogger;
	// slog.LevelInfo when nil. A logrus logger has its own level
	// (SetLevel), which its Formatter does not change.
	Level slog.Leveler
}

// enabled reports whether an entry at level l is written (Level).
func (o *Options) enabled(l slog.Level) bool {
	min := slog.LevelInfo
	if o.Level != nil {
		min = o.Level.Level()
	}
	return l >= min
}

// AppendEntry appends to b the line of one entry: the encoder behind every
// front end. typ is the entry's Type ("" for Options.Type); at its time
// (Now when set, time.Now when zero); the request ID and trace ID of the
// request whose context is ctx join fields as "rid" and "trace_id" unless
// fields have them. fields become the entry's Fields, and msg its "msg"
// (left out when empty): error values are written as their text, values
// JSON cannot hold as their %v text, an object nested in an object as its
// JSON text, and a msg that is a JSON object is kept, its keys joining the
// fields where no field has them. Whatever they hold, the line is whole,
// one line and valid JSON (or one text line, with Text).
func (o *Options) AppendEntry(b []byte, ctx context.Context, at time.Time, typ string, level slog.Level, msg string, fields []slog.Attr) []byte {
	var h encode.Header
	o.header(&h, at, typ, level)
	return encode.AppendLine(b, &h, msg, withContextIDs(ctx, fields))
}

// writeEntry is AppendEntry into a pooled buffer, written to w in one
// Write while holding mu, so that lines of several goroutines never
// interleave.
func (o *Options) writeEntry(w io.Writer, mu sync.Locker, ctx context.Context, at time.Time, typ string, level slog.Level, msg string, fields []slog.Attr) error {
	var h encode.Header
	o.header(&h, at, typ, level)
	return encode.WriteLine(w, mu, &h, msg, withContextIDs(ctx, fields))
}

// header fills h, the envelope of an entry (in place: a Header is large
// to copy, and this runs for every line).
func (o *Options) header(h *encode.Header, at time.Time, typ string, level slog.Level) {
	switch {
	case o.Now != nil:
		at = o.Now()
	case at.IsZero():
		at = time.Now()
	}
	if typ == "" {
		typ = o.Type
	}
	*h = encode.Header{Timestamp: at.UnixNano(), Type: typ, Logger: o.Logger, Hostname: o.Hostname, EnvVersion: o.EnvVersion,
		Severity: encode.SlogSeverity(level), Pid: o.Pid, CloudSeverity: o.CloudSeverity, Text: o.Text}
	h.FillDefaults()
}

// withContextIDs appends the request ID and trace ID carried by ctx to
// fields, each unless fields already have it: the one enrichment of every
// front end.
func withContextIDs(ctx context.Context, fields []slog.Attr) []slog.Attr {
	rid, trace := reqid.From(ctx)
	if rid == "" && trace == "" {
		return fields
	}
	for _, f := range fields {
		switch f.Key {
		case "rid":
			rid = ""
		case "trace_id":
			trace = ""
		}
	}
	if rid != "" {
		fields = append(fields, slog.String("rid", rid))
	}
	if trace != "" {
		fields = append(fields, slog.String("trace_id", trace))
	}
	return fields
}

// OptionsFromEnv returns the Options the environment asks for, read
// through lookup (nil means os.LookupEnv): DOCKERFLOW_LOG_FORMAT (mozlog
// or text: Text) and DOCKERFLOW_LOG_CLOUD_SEVERITY (a boolean:
// CloudSeverity), the log settings dockerflow.ConfigFromEnv checks too.
// Give them to the front end of a logger set in code, so that it writes
// as the environment says; an invalid value is an error naming the
// variable.
func OptionsFromEnv(lookup func(string) (string, bool)) (Options, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	var o Options
	var errs []error
	if v, ok := lookup("DOCKERFLOW_LOG_FORMAT"); ok && strings.TrimSpace(v) != "" {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "text":
			o.Text = true
		case "mozlog":
		default:
			errs = append(errs, fmt.Errorf("invalid DOCKERFLOW_LOG_FORMAT=%q: want mozlog or text", v))
		}
	}
	if v, ok := lookup("DOCKERFLOW_LOG_CLOUD_SEVERITY"); ok && strings.TrimSpace(v) != "" {
		b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v)))
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "yes", "y", "on":
			b, err = true, nil
		case "no", "n", "off":
			b, err = false, nil
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("invalid DOCKERFLOW_LOG_CLOUD_SEVERITY=%q: want a boolean (true, false, 1, 0, yes, no, on, off)", v))
		}
		o.CloudSeverity = b
	}
	return o, errors.Join(errs...)
}
