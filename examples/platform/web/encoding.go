package web

import (
	"strconv"
	"strings"
)

// negotiate picks the content coding to answer with from an
// Accept-Encoding header (RFC 9110 section 12.5.3), among the ones a file
// has: the highest q wins, brotli before gzip when equal; "" (identity)
// when the client accepts neither.
func negotiate(header string, have map[string]representation) string {
	best, bestQ := "", 0.0
	for _, coding := range []string{"br", "gzip"} { // smallest first
		if _, ok := have[coding]; !ok {
			continue
		}
		if q := acceptQ(header, coding); q > bestQ {
			best, bestQ = coding, q
		}
	}
	return best
}

// acceptQ is the weight the header gives coding: its own entry's q, else
// the q of "*", else 0. An entry whose q does not parse is ignored.
func acceptQ(header, coding string) float64 {
	q, star := -1.0, -1.0
	for _, item := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.TrimSpace(name)
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
			q = w
		case name == "*":
			star = w
		}
	}
	switch {
	case q >= 0:
		return q
	case star >= 0:
		return star
	}
	return 0
}
