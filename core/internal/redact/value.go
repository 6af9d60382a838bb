package redact

import (
	"strconv"
	"strings"
)

// urlPassword returns where the password of a URL-like value is, from
// its user information, however the value is shaped: after "://" and the
// user's ':', up to the value's last '@' (a password may hold '/', '@',
// spaces). ok is false when there is none.
func urlPassword(v string) (from, to int, ok bool) {
	i := strings.Index(v, "://")
	if i < 0 {
		return 0, 0, false
	}
	info := i + 3
	at := strings.LastIndexByte(v[info:], '@')
	if at < 0 {
		return 0, 0, false
	}
	colon := strings.IndexByte(v[info:info+at], ':')
	if colon < 0 || colon+1 == at {
		return 0, 0, false
	}
	return info + colon + 1, info + at, true
}

// URLPassword returns v with the password of its user information,
// if any, replaced by "xxxxx".
func URLPassword(v string) string {
	if from, to, ok := urlPassword(v); ok {
		return v[:from] + Redacted + v[to:]
	}
	return v
}

// ValueSecrets returns the secrets a configuration value holds, as they
// may be quoted back in an error about it: its URL password, and the
// values of its sensitive query parameters, each as it is, decoded and as
// %q writes it.
func ValueSecrets(v string, keys *Keys) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		dec := string(appendUnescaped(nil, s, true))
		q := strconv.Quote(s)
		out = append(out, s, dec, q[1:len(q)-1])
	}
	if from, to, ok := urlPassword(v); ok {
		add(v[from:to])
	} else if at := strings.LastIndexByte(v, '@'); at > 0 {
		// user information without a well-formed scheme: app:pw@db:5432,
		// root:pw@/test, redis//:pw@h.
		if from := passwordStart(v[:at]); from >= 0 {
			add(v[from:at])
		}
	}
	if _, query, ok := strings.Cut(v, "?"); ok {
		for _, pair := range strings.Split(query, "&") {
			name, value, _ := strings.Cut(pair, "=")
			if keys.Sensitive(string(appendUnescaped(nil, name, true)), true) {
				add(value)
			}
		}
	}
	return out
}
