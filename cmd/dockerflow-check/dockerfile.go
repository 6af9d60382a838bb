package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line int    // where it starts
	cmd  string // upper case: FROM, RUN, USER...
	args string
}

// parseDockerfile splits a Dockerfile into instructions: comments and
// blank lines dropped, lines ending in a backslash joined to the next.
func parseDockerfile(r io.Reader) ([]instruction, error) {
	var out []instruction
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	var cur strings.Builder
	start, n := 0, 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		cont := strings.HasSuffix(line, "\\")
		cur.WriteString(strings.TrimSuffix(line, "\\"))
		cur.WriteByte(' ')
		if cont {
			continue
		}
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, instruction{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)})
		cur.Reset()
	}
	return out, sc.Err()
}

var (
	// A user or group app with id 10001, made by any of the usual tools or
	// written into passwd and group files by hand.
	appUserRE  = regexp.MustCompile(`(useradd|adduser)\b[^&;|]*(--uid|-u)[ =]?10001\b[^&;|]*\bapp\b|\bapp:x:10001:10001\b`)
	appGroupRE = regexp.MustCompile(`(groupadd|addgroup)\b[^&;|]*(--gid|-g)[ =]?10001\b[^&;|]*\bapp\b|\bapp:x:10001:`)
	versionRE  = regexp.MustCompile(`version\.json`)
)

// dockerfile checks a Dockerfile against the container rules; the final
// stage (after the last FROM) is the image that runs.
func (c *checker) dockerfile(r io.Reader, name string) {
	ins, err := parseDockerfile(r)
	if err != nil || len(ins) == 0 {
		for _, ru := range []string{ruleDockerApp, ruleDockerUser, ruleDockerEntrypoint, ruleDockerVersion} {
			c.check(ru, fail, "a Dockerfile", fmt.Sprintf("%s: %v, %d instructions", name, err, len(ins)))
		}
		return
	}
	final := ins
	for i, in := range ins {
		if in.cmd == "FROM" {
			final = ins[i:]
		}
	}
	last := func(cmd string) *instruction {
		var found *instruction
		for i := range final {
			if final[i].cmd == cmd {
				found = &final[i]
			}
		}
		return found
	}
	at := func(in *instruction) string { return fmt.Sprintf("line %d: %s %s", in.line, in.cmd, in.args) }

	if w := last("WORKDIR"); w != nil {
		c.check(ruleDockerApp, verdict(strings.TrimSuffix(w.args, "/") == "/app"), "WORKDIR /app in the final stage", at(w))
	} else {
		c.check(ruleDockerApp, fail, "WORKDIR /app in the final stage", "no WORKDIR")
	}

	all := ""
	for _, in := range ins {
		all += in.args + "\n"
	}
	user := last("USER")
	switch {
	case user == nil:
		c.check(ruleDockerUser, fail, "USER app (10001) in the final stage", "no USER: the container runs as root")
	case !strings.Contains(",app,10001,app:app,10001:10001,app:10001,10001:app,", ","+user.args+","):
		c.check(ruleDockerUser, fail, "USER app (10001) in the final stage", at(user))
	case !appUserRE.MatchString(all) || !appGroupRE.MatchString(all):
		c.check(ruleDockerUser, fail, "user and group app made with id 10001", at(user)+", but no user or group app with id 10001 is made")
	default:
		c.check(ruleDockerUser, pass, "USER app (10001), user and group app made with id 10001", at(user))
	}

	ep, cmd := last("ENTRYPOINT"), last("CMD")
	switch {
	case ep != nil && cmd != nil:
		c.check(ruleDockerEntrypoint, pass, "ENTRYPOINT and CMD", at(ep)+"; "+at(cmd))
	default:
		c.check(ruleDockerEntrypoint, fail, "ENTRYPOINT and CMD", fmt.Sprintf("ENTRYPOINT set: %v, CMD set: %v", ep != nil, cmd != nil))
	}

	// version.json reaches /app: copied or written there in the final
	// stage (a relative destination under WORKDIR /app counts).
	var wrote string
	workdir := ""
	for i := range final {
		in := &final[i]
		if in.cmd == "WORKDIR" {
			workdir = strings.TrimSuffix(in.args, "/")
		}
		if (in.cmd == "COPY" || in.cmd == "ADD" || in.cmd == "RUN") && versionRE.MatchString(in.args) &&
			(strings.Contains(in.args, "/app/version.json") || (workdir == "/app" && in.cmd != "RUN")) {
			wrote = at(in)
		}
	}
	if wrote == "" {
		c.check(ruleDockerVersion, fail, "version.json copied or written into /app", "nothing puts version.json in /app")
	} else {
		c.check(ruleDockerVersion, pass, "version.json copied or written into /app", wrote)
	}
}
