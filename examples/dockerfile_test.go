package examples

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// instruction is one line of a Dockerfile, continuations joined.
type instruction struct {
	op, args string
}

// parseDockerfile returns the stages of a Dockerfile, each a list of
// instructions starting with its FROM.
func parseDockerfile(text string) [][]instruction {
	var stages [][]instruction
	var line string
	for _, raw := range strings.Split(text, "\n") {
		raw = strings.TrimSpace(raw)
		if line == "" && (raw == "" || strings.HasPrefix(raw, "#")) {
			continue
		}
		if strings.HasSuffix(raw, "\\") {
			line += strings.TrimSuffix(raw, "\\") + " "
			continue
		}
		line += raw
		op, args, _ := strings.Cut(line, " ")
		in := instruction{strings.ToUpper(op), strings.TrimSpace(args)}
		line = ""
		if in.op == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	return stages
}

// find returns the args of the stage's instructions with op.
func find(stage []instruction, op string) []string {
	var out []string
	for _, in := range stage {
		if in.op == op {
			out = append(out, in.args)
		}
	}
	return out
}

// The Dockerfile meets Dockerflow's requirements: it cannot be built here
// (no Docker engine), so it is checked by reading.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages := parseDockerfile(string(b))
	if len(stages) != 2 {
		t.Fatalf("%d stages, want a build stage and a run stage", len(stages))
	}
	build, run := stages[0], stages[1]
	has := func(what string, list []string, pattern string) {
		t.Helper()
		re := regexp.MustCompile(pattern)
		for _, s := range list {
			if re.MatchString(s) {
				return
			}
		}
		t.Errorf("%s: none of %q matches %s", what, list, pattern)
	}

	has("build FROM", find(build, "FROM"), `^golang:\S+ AS build$`)
	has("build WORKDIR", find(build, "WORKDIR"), `^/app$`)
	has("source copied under /app", find(build, "COPY"), `^\. \.$`)
	has("static binary", find(build, "ENV"), `CGO_ENABLED=0`)
	has("builds an example", find(build, "RUN"), `go build .* -o /out/service \./examples/\$\{EXAMPLE\}`)
	has("makes version.json", find(build, "RUN"), `go run \./examples/cmd/versionjson -o /out/version\.json`)
	has("user app 10001", find(build, "RUN"), `app:x:10001:10001:`)
	has("group app 10001", find(build, "RUN"), `app:x:10001:`)

	has("run FROM", find(run, "FROM"), `^scratch$`)
	has("passwd", find(run, "COPY"), `/out/passwd /etc/passwd$`)
	has("group", find(run, "COPY"), `/out/group /etc/group$`)
	has("binary under /app", find(run, "COPY"), ` /app/service$`)
	has("version.json in /app", find(run, "COPY"), ` /app/version\.json$`)
	has("WORKDIR", find(run, "WORKDIR"), `^/app$`)
	has("PORT", find(run, "ENV"), `(^| )PORT=8000( |$)`)
	has("USER", find(run, "USER"), `^(app|10001(:10001)?)$`)
	has("ENTRYPOINT", find(run, "ENTRYPOINT"), `^\["/app/service"\]$`)
	has("CMD", find(run, "CMD"), `^\[".+"\]$`)
	// A scratch image has no shell or curl: the binary is its own check.
	has("HEALTHCHECK", find(run, "HEALTHCHECK"), `CMD \["/app/service", "healthcheck"\]$`)
	if len(find(run, "USER")) != 1 {
		t.Errorf("USER set %d times in the run stage", len(find(run, "USER")))
	}
	// USER comes after everything that needs root.
	last := 0
	for i, in := range run {
		if in.op == "USER" {
			last = i
		}
	}
	for _, in := range run[last:] {
		if in.op == "RUN" || in.op == "COPY" {
			t.Errorf("%s after USER: %s", in.op, in.args)
		}
	}
}
