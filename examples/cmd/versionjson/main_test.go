package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestBuild(t *testing.T) {
	git := func(args ...string) (string, error) {
		switch args[0] {
		case "rev-parse":
			return "abc123", nil
		case "describe":
			return "", errors.New("no tag")
		case "remote":
			return "https://user:token@github.com/acme/svc.git", nil
		}
		return "", errors.New("?")
	}
	noGit := func(...string) (string, error) { return "", errors.New("not a git checkout") }
	for _, tc := range []struct {
		name string
		env  map[string]string
		git  func(...string) (string, error)
		want Version
	}{
		{"github-tag", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_SHA": "52ce614f", "GITHUB_SERVER_URL": "https://github.com",
			"GITHUB_REPOSITORY": "mozilla/svc", "GITHUB_RUN_ID": "42", "GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v1.2.0"}, noGit,
			Version{"https://github.com/mozilla/svc", "v1.2.0", "52ce614f", "https://github.com/mozilla/svc/actions/runs/42"}},
		{"github-branch", map[string]string{"GITHUB_SHA": "52ce614f", "GITHUB_REPOSITORY": "mozilla/svc", "GITHUB_REF_TYPE": "branch", "GITHUB_REF_NAME": "main"}, noGit,
			Version{"https://github.com/mozilla/svc", "", "52ce614f", ""}},
		{"circleci", map[string]string{"CIRCLECI": "true", "CIRCLE_SHA1": "d4e5f6", "CIRCLE_TAG": "2026.11.0",
			"CIRCLE_REPOSITORY_URL": "git@github.com:mozilla/telemetry.git", "CIRCLE_BUILD_URL": "https://circleci.com/gh/mozilla/telemetry/2223"}, noGit,
			Version{"https://github.com/mozilla/telemetry", "2026.11.0", "d4e5f6", "https://circleci.com/gh/mozilla/telemetry/2223"}},
		{"git-only", nil, git, Version{"https://github.com/acme/svc", "", "abc123", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Build(func(k string) string { return tc.env[k] }, tc.git)
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	if _, err := Build(func(string) string { return "" }, noGit); err == nil {
		t.Error("no commit anywhere: want an error")
	}
}

func TestSourceURL(t *testing.T) {
	for in, want := range map[string]string{
		"git@github.com:org/repo.git":                  "https://github.com/org/repo",
		"https://x-access-token:secret@github.com/o/r": "https://github.com/o/r",
		"ssh://git@gitlab.example.com:2222/o/r.git":    "https://gitlab.example.com/o/r",
		"https://github.com/o/r":                       "https://github.com/o/r",
		"":                                             "",
	} {
		if got := sourceURL(in); got != want {
			t.Errorf("sourceURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// The command's output is a version object /__version__ can serve.
func TestCommandOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "version.json")
	cmd := exec.Command("go", "run", ".", "-o", out)
	cmd.Env = append(os.Environ(), "GITHUB_SHA=0123abcd", "GITHUB_REPOSITORY=acme/svc", "GITHUB_RUN_ID=7", "GITHUB_REF_TYPE=tag", "GITHUB_REF_NAME=v9")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || len(m) != 4 || m["commit"] != "0123abcd" || m["version"] != "v9" ||
		m["source"] != "https://github.com/acme/svc" || m["build"] != "https://github.com/acme/svc/actions/runs/7" {
		t.Errorf("version.json = %s (%v)", b, err)
	}
}
