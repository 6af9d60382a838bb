// Command versionjson writes the Dockerflow version object, version.json,
// from the CI's environment, falling back to git:
//
//		go run ./examples/cmd/versionjson -o version.json
//
//	  - GitHub Actions: GITHUB_SHA, GITHUB_REF_TYPE and GITHUB_REF_NAME (a
//	    tag), GITHUB_SERVER_URL and GITHUB_REPOSITORY (source), GITHUB_RUN_ID
//	    (build).
//	  - CircleCI: CIRCLE_SHA1, CIRCLE_TAG, CIRCLE_REPOSITORY_URL,
//	    CIRCLE_BUILD_URL.
//	  - Elsewhere: git rev-parse HEAD, git describe --tags --exact-match, git
//	    remote get-url origin.
//
// The Dockerfile runs it in its build stage.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
)

// Version is the Dockerflow version object.
type Version struct {
	Source  string `json:"source"`
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Build   string `json:"build"`
}

func main() {
	out := flag.String("o", "-", "file to write; - for standard output")
	flag.Parse()
	v, err := Build(os.Getenv, runGit)
	if err != nil {
		fmt.Fprintln(os.Stderr, "versionjson:", err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	b = append(b, '\n')
	if *out == "-" {
		_, err = os.Stdout.Write(b)
	} else {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "versionjson:", err)
		os.Exit(1)
	}
}

func runGit(args ...string) (string, error) {
	out, err := exec.Command("git", args...).Output()
	return strings.TrimSpace(string(out)), err
}

// Build makes the version object from getenv and git; it fails only when
// no commit can be found at all.
func Build(getenv func(string) string, git func(args ...string) (string, error)) (Version, error) {
	var v Version
	switch {
	case getenv("GITHUB_ACTIONS") == "true" || getenv("GITHUB_SHA") != "":
		server := strings.TrimSuffix(getenv("GITHUB_SERVER_URL"), "/")
		if server == "" {
			server = "https://github.com"
		}
		v.Commit = getenv("GITHUB_SHA")
		if repo := getenv("GITHUB_REPOSITORY"); repo != "" {
			v.Source = server + "/" + repo
			if id := getenv("GITHUB_RUN_ID"); id != "" {
				v.Build = v.Source + "/actions/runs/" + id
			}
		}
		if getenv("GITHUB_REF_TYPE") == "tag" {
			v.Version = getenv("GITHUB_REF_NAME")
		}
	case getenv("CIRCLECI") == "true" || getenv("CIRCLE_SHA1") != "":
		v.Commit = getenv("CIRCLE_SHA1")
		v.Version = getenv("CIRCLE_TAG")
		v.Source = sourceURL(getenv("CIRCLE_REPOSITORY_URL"))
		v.Build = getenv("CIRCLE_BUILD_URL")
	}
	if v.Commit == "" {
		v.Commit, _ = git("rev-parse", "HEAD")
	}
	if v.Version == "" {
		v.Version, _ = git("describe", "--tags", "--exact-match")
	}
	if v.Source == "" {
		remote, _ := git("remote", "get-url", "origin")
		v.Source = sourceURL(remote)
	}
	if v.Commit == "" {
		return v, errors.New("no commit: set GITHUB_SHA or CIRCLE_SHA1, or run in a git checkout")
	}
	return v, nil
}

var scpLike = regexp.MustCompile(`^(?:[^@/]+@)?([^:/]+):(.+)$`)

// sourceURL turns a git remote into the repository's https URL, without
// credentials: git@github.com:org/repo.git → https://github.com/org/repo.
func sourceURL(remote string) string {
	remote = strings.TrimSuffix(strings.TrimSpace(remote), ".git")
	if remote == "" {
		return ""
	}
	if u, err := url.Parse(remote); err == nil && u.Scheme != "" && u.Host != "" {
		u.User = nil
		if u.Scheme == "ssh" || u.Scheme == "git" {
			u.Scheme = "https"
			u.Host = u.Hostname()
		}
		return u.String()
	}
	if m := scpLike.FindStringSubmatch(remote); m != nil {
		return "https://" + m[1] + "/" + strings.TrimPrefix(m[2], "/")
	}
	return remote
}
