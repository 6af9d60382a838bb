package dockerflow

import (
	"os"
	"strings"
)

// envNames are the DOCKERFLOW_ variables a Service reads.
var envNames = []string{
	"DOCKERFLOW_CHECK_TIMEOUT", "DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "DOCKERFLOW_HEARTBEAT_CACHE_TTL",
	"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "DOCKERFLOW_HEARTBEAT_INTERVAL", "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS",
	"DOCKERFLOW_REQUEST_ID_HEADER_NAME", "DOCKERFLOW_SENSITIVE_KEYS", "DOCKERFLOW_SILENCED_CHECKS",
	"DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS", "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE",
	"DOCKERFLOW_VERSION_FILE", "DOCKERFLOW_VERSION_FROM_BUILD_INFO",
}

// unknownEnv returns a warning for each variable of environ (KEY=value
// entries) whose name starts with DOCKERFLOW_, in any case, and is not
// one a Service reads, naming the closest known one.
func unknownEnv(environ []string) []string {
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if len(name) < len("DOCKERFLOW_") || !strings.EqualFold(name[:len("DOCKERFLOW_")], "DOCKERFLOW_") {
			continue
		}
		known := false
		for _, n := range envNames {
			known = known || n == name
		}
		if known {
			continue
		}
		msg := "unknown environment variable " + name + ", ignored"
		upper := strings.ToUpper(name)
		best, dist := "", len(upper)/3+1 // suggest only what is close
		for _, n := range envNames {
			if d := editDistance(upper, n); d < dist {
				best, dist = n, d
			}
		}
		if best != "" {
			msg += "; did you mean " + best + "?"
		}
		warnings = append(warnings, msg)
	}
	return warnings
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// environment returns the variables to check for unknown names: the
// process's when the Config reads the process's environment, else none
// (a LookupEnv function cannot list its names).
func (c *Config) environment() []string {
	if c.environ != nil {
		return c.environ()
	}
	if c.LookupEnv == nil {
		return os.Environ()
	}
	return nil
}
