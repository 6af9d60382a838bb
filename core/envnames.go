package dockerflow

import "strings"

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
		for _, st := range settings {
			known = known || st.name == name
		}
		if known {
			continue
		}
		msg := "unknown environment variable " + name + ", ignored"
		upper := strings.ToUpper(name)
		best, dist := "", len(upper)/3+1 // suggest only what is close
		for _, st := range settings {
			if d := editDistance(upper, st.name); d < dist {
				best, dist = st.name, d
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
