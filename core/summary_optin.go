package dockerflow

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// The summary's opt-in fields (Config.SummaryFields), by name: each is
// written beside the summary's own fields, and made safe as they are.
const (
	optSize        = "size"
	optRemoteChain = "remoteAddressChain"
	optCloud       = "httpRequest"
)

// optIns says which opt-in fields a service writes.
type optIns struct{ size, chain, cloud bool }

// parseSummaryFields reads Config.SummaryFields.
func parseSummaryFields(names []string) (optIns, error) {
	var o optIns
	for _, n := range names {
		switch n {
		case optSize:
			o.size = true
		case optRemoteChain:
			o.chain = true
		case optCloud:
			o.cloud = true
		default:
			return o, fmt.Errorf("config: SummaryFields: unknown field %q: want %s, %s or %s", n, optSize, optRemoteChain, optCloud)
		}
	}
	return o, nil
}

// Cloud Logging's special fields, which the encoder writes at the top of
// the line (encode.Hoisted).
const (
	cloudTrace   = "logging.googleapis.com/trace"
	cloudSpan    = "logging.googleapis.com/spanId"
	cloudSampled = "logging.googleapis.com/trace_sampled"
)

// requestFacts are what the opt-in fields need of a request, taken when
// it begins, only for the fields asked for.
type requestFacts struct {
	chain    []string // remoteAddressChain
	proto    string   // httpRequest's protocol
	span     string   // the traceparent's parent-id
	sampled  bool     // the traceparent's sampled flag
	hasTrace bool
}

// takeFacts keeps what the opt-in fields need of request r.
func (s *Service) takeFacts(t *Tracker, r *http.Request) {
	if !s.opt.chain && !s.opt.cloud {
		return // the size needs no fact of the request
	}
	f := &t.rareState().facts // the tracker is the caller's alone yet
	if s.opt.chain {
		f.chain = remoteAddressChain(r)
	}
	if s.opt.cloud {
		f.proto = r.Proto
		if tp := first(r.Header, "Traceparent"); traceID(tp) != "" {
			f.span, f.sampled, f.hasTrace = tp[36:52], tp[54]&1 == 1, true
		}
	}
}

// addedFields returns the fields of the summary sum of t's request beyond
// its own: the opt-in fields, then those the handler added (added.take),
// in key order; nil when there are none. It runs once the summary is
// marked ended; cut: sum is the summary of a request cut short, whose
// size is not known.
func (t *Tracker) addedFields(sum *Summary, cut bool) *[]slog.Attr {
	opt := t.svc.opt
	var buf [6]slog.Attr
	fields := buf[:0]
	size := t.size.Load()
	if cut {
		size = -1
	}
	if size >= 0 && opt.size {
		fields = append(fields, slog.Int64(optSize, size))
	}
	// The opt-in fields' facts were taken by Track (takeFacts), before the
	// handler ran: rare is set, and never replaced.
	if opt.chain {
		fields = append(fields, slog.Any(optRemoteChain, t.rare.facts.chain))
	}
	if opt.cloud {
		fields = t.svc.appendCloud(fields, sum, &t.rare.facts, size)
	}
	if t.hasAdded.Load() {
		t.mu.Lock()
		t.extra = t.added.take(sum, fields)
		t.mu.Unlock()
	} else if len(fields) > 0 {
		t.extra = append(make([]slog.Attr, 0, len(fields)), fields...)
	}
	if len(t.extra) == 0 {
		return nil
	}
	// In key order: the summary writer merges them among the summary's
	// own fields, as mozlog's encoder sorts every field.
	sortByKey(t.extra)
	return &t.extra
}

// appendCloud appends Cloud Logging's request object and trace fields
// for sum: httpRequest for an HTTP request (an RPC's summary has no
// URL), the trace fields when a traceparent came. Every string is one the
// summary holds already, redacted and capped.
func (s *Service) appendCloud(fields []slog.Attr, sum *Summary, f *requestFacts, size int64) []slog.Attr {
	if !sum.RPC {
		req := cloudHTTPRequest{RequestMethod: sum.Method, RequestURL: sum.Path, Status: sum.Code, UserAgent: sum.Agent,
			Latency: strconv.FormatFloat(sum.Duration.Seconds(), 'f', -1, 64) + "s", Protocol: s.safeMethod(f.proto)}
		if sum.HasQueryString && sum.QueryString != "" {
			req.RequestURL += "?" + sum.QueryString
		}
		if size >= 0 {
			req.ResponseSize = strconv.FormatInt(size, 10) // int64 as a string, as the API has it
		}
		if len(f.chain) > 0 {
			req.RemoteIP = f.chain[0]
		}
		fields = append(fields, slog.Any(optCloud, req))
	}
	if f.hasTrace {
		if p := s.cfg.GoogleCloudProject; p != "" {
			fields = append(fields, slog.String(cloudTrace, "projects/"+s.requestText(p, 256)+"/traces/"+sum.TraceID))
		}
		fields = append(fields, slog.String(cloudSpan, f.span), slog.Bool(cloudSampled, f.sampled))
	}
	return fields
}

// cloudHTTPRequest is Cloud Logging's HttpRequest, as its JSON has it:
// not a slog group, which a log/slog handler would flatten.
type cloudHTTPRequest struct {
	RequestMethod string `json:"requestMethod"`
	RequestURL    string `json:"requestUrl"`
	Status        int    `json:"status"`
	ResponseSize  string `json:"responseSize,omitempty"`
	UserAgent     string `json:"userAgent"`
	RemoteIP      string `json:"remoteIp,omitempty"`
	Latency       string `json:"latency"`
	Protocol      string `json:"protocol,omitempty"`
}

// maxRemoteAddresses bounds remoteAddressChain: the addresses of
// X-Forwarded-For nearest the server, then the client's.
const maxRemoteAddresses = 16

// remoteAddressChain returns mozlog's remoteAddressChain of r: the IP
// addresses of its X-Forwarded-For headers, the last maxRemoteAddresses-1
// of them, then the client's address as the server saw it. Only IP
// addresses: whatever else a header holds is left out, so that nothing
// but an address can reach the log from there.
func remoteAddressChain(r *http.Request) []string {
	chain := []string{}
	for _, h := range r.Header["X-Forwarded-For"] {
		for _, part := range strings.Split(h, ",") {
			if a, err := netip.ParseAddr(strings.TrimSpace(part)); err == nil {
				chain = append(chain, a.String())
			}
		}
	}
	if len(chain) > maxRemoteAddresses-1 {
		chain = chain[len(chain)-(maxRemoteAddresses-1):]
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		chain = append(chain, ap.Addr().String())
	} else if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		chain = append(chain, a.String())
	}
	return chain
}
