package static

import (
	"strconv"
	"strings"

	"github.com/dockerflow-go/dockerflow/static/internal/codings"
)

// negotiate picks the content coding to answer with from an
// Accept-Encoding header (RFC 9110 section 12.5.3), among the ones a file
// has: the highest q wins, brotli before zstd before gzip when equal; ""
// (identity) when the client accepts none of them, or identity above
// them.
func negotiate(header string, have map[string]representation) string {
	best, bestQ := "", 0.0
	for _, c := range codings.All { // smallest first
		if _, ok := have[c.Name]; !ok {
			continue
		}
		if q, _ := acceptQ(header, c.Name); q > bestQ {
			best, bestQ = c.Name, q
		}
	}
	if q, named := acceptQ(header, "identity"); best != "" && named && q > bestQ {
		return ""
	}
	return best
}

// maxAcceptItems bounds how many entries of an Accept-Encoding header are
// read: a browser sends five or six; a header of a million commas costs no
// more than this many.
const maxAcceptItems = 32

// acceptQ is the weight the header gives coding: its own entry's q
// (named: the header names it), else the q of "*", else 0. An entry whose q does not parse is ignored. The
// header is walked in place, never split into a slice, and only its first
// maxAcceptItems entries count: time and memory stay bounded whatever a
// client sends.
func acceptQ(header, coding string) (q float64, named bool) {
	own, star := -1.0, -1.0
	for n := 0; n < maxAcceptItems && header != ""; n++ {
		var item string
		item, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(item, ";")
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		w := 1.0
		if params != "" {
			k, v, _ := strings.Cut(strings.TrimSpace(params), "=")
			if !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			w = f
		}
		switch {
		case strings.EqualFold(name, coding):
			own = w
		case name == "*":
			star = w
		}
	}
	switch {
	case own >= 0:
		return own, true
	case star >= 0:
		return star, false
	}
	return 0, false
}

// maxRange bounds the Range header handed to http.ServeContent, which
// splits it on every comma: a longer one (no browser or CDN sends more
// than a few ranges) is ignored, as RFC 9110 lets a server do, and the
// whole file is sent.
const maxRange = 256
