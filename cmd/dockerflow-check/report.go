package main

import (
	"encoding/json"
	"encoding/xml"
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
	// advised is a failure of this project's recommendation within a rule
	// of the published contract (a short commit hash, a heartbeat body
	// that is no JSON): it warns or fails as the profile says.
	advised = "advised"
)

// result is what one rule found.
type result struct {
	Rule     string `json:"rule"`
	Verdict  string `json:"verdict"`
	Expected string `json:"expected"`
	Seen     string `json:"seen"`
	Reason   string `json:"reason"`
	Source   string `json:"source"`
	Link     string `json:"link"`
}

// report is every result of one run, in the order the rules ran.
type report struct {
	Target  string         `json:"target"`
	Profile profile        `json:"profile"`
	Results []result       `json:"results"`
	Counts  map[string]int `json:"counts"`
}

// add records a rule's verdict. A failure of a recommendation counts as
// the profile says (advised), so that the dockerflow profile warns where
// the strict one fails; rule names the recommendation, when it is a
// stricter requirement within a rule of the published contract.
func (r *report) add(name, verdict, expected, seen string) {
	ru := rules[name]
	from := ru.from
	seen = oneLine(seen)
	if verdict == advised {
		verdict, from = fail, fromProject
	}
	if verdict == fail {
		if verdict = r.Profile.judged(rule{from: from}); verdict == warn {
			seen += " (" + string(fromProject) + "; --profile strict fails it)"
		}
	}
	r.Results = append(r.Results, result{Rule: name, Verdict: verdict, Expected: expected, Seen: seen, Reason: ru.reason, Source: string(ru.from), Link: ru.link})
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
	fmt.Fprintf(tw, "dockerflow-check %s (profile %s)\n\n", r.Target, r.Profile)
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
		fmt.Fprintf(w, "%s: %s (%s: %s)\n", res.Rule, res.Reason, res.Source, res.Link)
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

// junit is the JUnit XML of a report: one testsuite, one testcase per
// rule (its results joined, the worst verdict counting), a failure for a
// failed rule and the text of a warning in system-out, which every CI
// that reads JUnit shows.
type junit struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string        `xml:"classname,attr"`
	Name    string        `xml:"name,attr"`
	Failure *junitFailure `xml:"failure,omitempty"`
	Out     string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes the report as JUnit XML.
func (r *report) writeJUnit(w io.Writer) error {
	r.count()
	suite := junitSuite{Name: "dockerflow-check " + r.Target + " (profile " + string(r.Profile) + ")"}
	byRule := map[string]int{} // index in suite.Cases
	for _, res := range r.Results {
		i, ok := byRule[res.Rule]
		if !ok {
			i = len(suite.Cases)
			byRule[res.Rule] = i
			group, _, _ := strings.Cut(res.Rule, ".")
			suite.Cases = append(suite.Cases, junitCase{Class: "dockerflow-check." + group, Name: res.Rule})
		}
		c := &suite.Cases[i]
		line := fmt.Sprintf("%s: expected %s; seen %s", strings.ToUpper(res.Verdict), res.Expected, res.Seen)
		switch res.Verdict {
		case fail:
			if c.Failure == nil {
				c.Failure = &junitFailure{Message: res.Reason + " (" + res.Source + ", " + res.Link + ")"}
			}
			c.Failure.Text = strings.TrimPrefix(c.Failure.Text+"\n"+line, "\n")
		default:
			c.Out = strings.TrimPrefix(c.Out+"\n"+line, "\n")
		}
	}
	for _, c := range suite.Cases {
		if c.Failure != nil {
			suite.Failures++
		}
	}
	suite.Tests = len(suite.Cases)
	doc := junit{Name: "dockerflow-check", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
