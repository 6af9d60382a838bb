package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path"
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
	// The id option of useradd and adduser, and of groupadd and addgroup,
	// set to 10001 (-u 10001, --uid=10001…), and the name app, anywhere in
	// one command: options come in any order.
	uidRE  = regexp.MustCompile(`(?:^|\s)(?:-u|--uid)(?:\s+|=)10001(?:\s|$)`)
	gidRE  = regexp.MustCompile(`(?:^|\s)(?:-g|--gid)(?:\s+|=)10001(?:\s|$)`)
	nameRE = regexp.MustCompile(`(?:^|\s)app(?:\s|$)`)
	// Or a passwd or group line written by hand.
	passwdRE = regexp.MustCompile(`\bapp:x:10001:10001\b`)
	groupRE  = regexp.MustCompile(`\bapp:x:10001:`)

	commandSepRE    = regexp.MustCompile(`&&|\|\||;|\|`)
	writesVersionRE = regexp.MustCompile(`>\s*(\./)?version\.json\b`) // echo … > version.json in WORKDIR /app
)

// shellCommands splits a RUN instruction's arguments into its commands
// (at &&, ||, ;, |), an exec form (["useradd", "--uid", "10001"]) read
// as the words it runs.
func shellCommands(args string) []string {
	if strings.HasPrefix(args, "[") {
		var words []string
		if json.Unmarshal([]byte(args), &words) == nil {
			return []string{strings.Join(words, " ")}
		}
	}
	return commandSepRE.Split(args, -1)
}

// makesApp reports whether the RUN instructions make the user and the
// group app with id 10001.
func makesApp(ins []instruction) (user, group bool) {
	for _, in := range ins {
		if in.cmd != "RUN" {
			continue
		}
		user = user || passwdRE.MatchString(in.args)
		group = group || groupRE.MatchString(in.args)
		for _, c := range shellCommands(in.args) {
			words := strings.Fields(c)
			if len(words) == 0 || !nameRE.MatchString(c) {
				continue
			}
			switch cmd := words[0][strings.LastIndex(words[0], "/")+1:]; cmd {
			case "useradd", "adduser":
				user = user || uidRE.MatchString(c)
			case "groupadd", "addgroup":
				group = group || gidRE.MatchString(c)
			}
		}
	}
	return user, group
}

// putsVersion reports whether a COPY or ADD puts version.json into /app:
// a source named version.json, or the build context whole (., which holds
// the version.json CI writes before the build), to /app, /app/, a folder
// under it, or /app/version.json; a relative destination is under the
// stage's WORKDIR.
func putsVersion(in instruction, workdir string) bool {
	var words []string
	for _, w := range strings.Fields(in.args) {
		if !strings.HasPrefix(w, "--") {
			words = append(words, w)
		}
	}
	if strings.HasPrefix(in.args, "[") {
		words = nil
		_ = json.Unmarshal([]byte(in.args), &words)
	}
	if len(words) < 2 {
		return false
	}
	dest := words[len(words)-1]
	if !strings.HasPrefix(dest, "/") {
		dest = workdir + "/" + dest
	}
	dest = path.Clean(dest)
	if dest != "/app" && dest != "/app/version.json" {
		return false
	}
	context := !strings.Contains(in.args, "--from")
	for _, src := range words[:len(words)-1] {
		if path.Base(src) == "version.json" || context && (src == "." || src == "./" || src == "*") {
			return true
		}
	}
	return false
}

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

	madeUser, madeGroup := makesApp(ins)
	user := last("USER")
	switch {
	case user == nil:
		c.check(ruleDockerUser, fail, "USER app (10001) in the final stage", "no USER: the container runs as root")
	case !strings.Contains(",app,10001,app:app,10001:10001,app:10001,10001:app,", ","+user.args+","):
		c.check(ruleDockerUser, fail, "USER app (10001) in the final stage", at(user))
	case !madeUser || !madeGroup:
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
		switch in.cmd {
		case "COPY", "ADD":
			if putsVersion(*in, workdir) {
				wrote = at(in)
			}
		case "RUN":
			if strings.Contains(in.args, "/app/version.json") || workdir == "/app" && writesVersionRE.MatchString(in.args) {
				wrote = at(in)
			}
		}
	}
	if wrote == "" {
		c.check(ruleDockerVersion, fail, "version.json copied or written into /app", "nothing puts version.json in /app")
	} else {
		c.check(ruleDockerVersion, pass, "version.json copied or written into /app", wrote)
	}
}
