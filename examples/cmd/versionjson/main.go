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
	v, warn, err := Build(os.Getenv, runGit)
	if warn != nil {
		fmt.Fprintln(os.Stderr, "versionjson: warning:", warn)
	}
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
// no commit can be found at all. warn, when not nil, says what was left
// out: a remote that cannot be read with certainty is not copied.
func Build(getenv func(string) string, git func(args ...string) (string, error)) (v Version, warn, err error) {
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
		v.Source, warn = sourceURL(getenv("CIRCLE_REPOSITORY_URL"))
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
		v.Source, warn = sourceURL(remote)
	}
	if v.Commit == "" {
		return v, warn, errors.New("no commit: set GITHUB_SHA or CIRCLE_SHA1, or run in a git checkout")
	}
	return v, warn, nil
}

// Remotes read with certainty: a URL of a known scheme whose host and
// path hold only the bytes hosts and repository paths are made of, or
// git's scp-like form (git@host:org/repo). User information before the
// host is dropped; anything else is not a source (a password holding a
// space, '#' or a broken escape would otherwise be copied whole).
var (
	urlRemote = regexp.MustCompile(`^(https?|ssh|git|git\+ssh)://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?([A-Za-z0-9.-]+)(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]+)$`)
	scpRemote = regexp.MustCompile(`^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):([A-Za-z0-9._~-][A-Za-z0-9._~/-]*)$`)
)

// errUnreadableRemote is sourceURL's error: it says nothing of the remote,
// which may hold a password.
var errUnreadableRemote = errors.New("the git remote is not a URL this command reads with certainty (scheme://host/path or git@host:path): source left empty")

// sourceURL turns a git remote into the repository's https URL, without
// credentials: git@github.com:org/repo.git → https://github.com/org/repo.
// A remote it cannot read with certainty is an error, never copied.
func sourceURL(remote string) (string, error) {
	remote = strings.TrimSuffix(strings.TrimSpace(remote), ".git")
	if remote == "" {
		return "", nil
	}
	if m := urlRemote.FindStringSubmatch(remote); m != nil {
		if strings.Count(remote, "@") > 1 {
			return "", errUnreadableRemote // which '@' ends the user information is a guess
		}
		scheme, host, port, path := m[1], m[2], m[3], m[4]
		if !strings.HasPrefix(scheme, "http") {
			scheme, port = "https", "" // an ssh port is not the forge's web port
		}
		return scheme + "://" + host + port + path, nil
	}
	if m := scpRemote.FindStringSubmatch(remote); m != nil && !strings.Contains(remote, "://") {
		return "https://" + m[1] + "/" + strings.TrimPrefix(m[2], "/"), nil
	}
	return "", errUnreadableRemote
}
