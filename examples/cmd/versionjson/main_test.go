package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
			got, warn, err := Build(func(k string) string { return tc.env[k] }, tc.git)
			if err != nil || warn != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	if _, _, err := Build(func(string) string { return "" }, noGit); err == nil {
		t.Error("no commit anywhere: want an error")
	}
}

func TestSourceURL(t *testing.T) {
	for in, want := range map[string]string{
		"git@github.com:org/repo.git":                  "https://github.com/org/repo",
		"https://x-access-token:secret@github.com/o/r": "https://github.com/o/r",
		"ssh://git@gitlab.example.com:2222/o/r.git":    "https://gitlab.example.com/o/r",
		"https://github.com/o/r":                       "https://github.com/o/r",
		"https://git.example.com:8443/o/r.git":         "https://git.example.com:8443/o/r",
		"git+ssh://git@github.com/o/r.git":             "https://github.com/o/r",
		"":                                             "",
	} {
		if got, err := sourceURL(in); got != want || err != nil {
			t.Errorf("sourceURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// A remote that cannot be read with certainty is dropped with a warning,
// never copied (issue 33: a broken escape, a space or '#' in the
// password made the whole remote, password included, the source).
func TestSourceURLDropsWhatItCannotRead(t *testing.T) {
	for _, in := range []string{
		"https://x:S3CRET%zz@github.com/o/r.git",
		"https://x:S3 CRET@github.com/o/r.git",
		"https://x:S3#CRET@github.com/o/r.git",
		"https://x:123#S3CRET@github.com/o/r.git",
		"https://x:S3CRET@evil@github.com/o/r.git",
		"https://x:S3?CRET@github.com/o/r.git",
		"https://github.com/o/r?token=S3CRET",
		"https://github.com/o/r#S3CRET",
		"x:S3CRET@github.com:o/r.git",
		"ftp://x:S3CRET@github.com/o/r",
		"/srv/git/S3CRET.git",
		"S3CRET",
	} {
		got, err := sourceURL(in)
		if got != "" || err == nil || strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("sourceURL(%q) = %q, %v; want \"\" and an error that does not quote it", in, got, err)
		}
	}
	git := func(args ...string) (string, error) {
		if args[0] == "remote" {
			return "https://x:S3CRET%zz@github.com/o/r.git", nil
		}
		return "abc123", nil
	}
	v, warn, err := Build(func(string) string { return "" }, git)
	if err != nil || warn == nil || v.Source != "" {
		t.Errorf("Build with an unreadable remote: %+v, warning %v, %v", v, warn, err)
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
