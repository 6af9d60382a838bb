package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Verdicts of a rule.
const (
	pass = "pass"
	warn = "warn"
	fail = "fail"
)

// result is what one rule found.
type result struct {
	Rule     string `json:"rule"`
	Verdict  string `json:"verdict"`
	Expected string `json:"expected"`
	Seen     string `json:"seen"`
	Reason   string `json:"reason"`
	Link     string `json:"link"`
}

// report is every result of one run, in the order the rules ran.
type report struct {
	Target  string         `json:"target"`
	Results []result       `json:"results"`
	Counts  map[string]int `json:"counts"`
}

func (r *report) add(name, verdict, expected, seen string) {
	ru := rules[name]
	r.Results = append(r.Results, result{Rule: name, Verdict: verdict, Expected: expected, Seen: oneLine(seen), Reason: ru.reason, Link: ru.link})
}

// failed reports whether any rule failed.
func (r *report) failed() bool {
	for _, res := range r.Results {
		if res.Verdict == fail {
			return true
		}
	}
	return false
}

func (r *report) count() {
	r.Counts = map[string]int{pass: 0, warn: 0, fail: 0}
	for _, res := range r.Results {
		r.Counts[res.Verdict]++
	}
}

// writeJSON writes the report as one JSON object.
func (r *report) writeJSON(w io.Writer) error {
	r.count()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeTable writes the report for a reader: a line per rule, and for
// each that did not pass, why it matters and where that is written.
func (r *report) writeTable(w io.Writer) error {
	r.count()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "dockerflow-check %s\n\n", r.Target)
	fmt.Fprintln(tw, "RESULT\tRULE\tEXPECTED\tSEEN")
	for _, res := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.ToUpper(res.Verdict), res.Rule, res.Expected, res.Seen)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	first, told := true, map[string]bool{}
	for _, res := range r.Results {
		if res.Verdict == pass || told[res.Rule] {
			continue
		}
		told[res.Rule] = true
		if first {
			fmt.Fprintln(w)
			first = false
		}
		fmt.Fprintf(w, "%s: %s (%s)\n", res.Rule, res.Reason, res.Link)
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d warnings, %d failed\n", r.Counts[pass], r.Counts[warn], r.Counts[fail])
	return err
}

// oneLine makes a text seen fit a table cell: one line, no control
// characters (a service's answer must not drive the terminal), at most
// 160 bytes.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = strings.ToValidUTF8(s[:157], "") + "..."
	}
	return s
}
