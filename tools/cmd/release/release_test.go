package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/dockerflow-go/dockerflow/tools/internal/modproxy"
	"github.com/dockerflow-go/dockerflow/tools/internal/release"
	"github.com/dockerflow-go/dockerflow/tools/internal/repo"
)

// A service outside the repository, with no replace directive and no
// workspace, gets every released module through a module proxy, builds,
// and answers its heartbeats.
func TestConsumerGetsTheRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("releases into a throwaway clone and builds a consumer through a module proxy")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	clone := cloneWorkTree(t)
	version := nextMinor(t, clone, "-consumertest")
	noteBreaking(t, clone)
	res, err := release.Run(ctx, release.Options{Root: clone, Version: version})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("released %s at %.12s: %s", version, res.Commit, strings.Join(res.Tags, " "))
	// The README's install lines name the release, without the notes on
	// modules "from the next release" that it contains.
	readme, err := os.ReadFile(filepath.Join(clone, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	installs := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.Contains(line, "go get "+repo.Prefix+"/") && !strings.Contains(line, "go install "+repo.Prefix+"/") {
			continue
		}
		installs++
		if !strings.Contains(line, "@"+version) && !strings.Contains(line, "@latest") || strings.Contains(line, "next release") {
			t.Errorf("the README after the release: %q, want @%s and no note on the next release", line, version)
		}
	}
	if installs == 0 {
		t.Error("the README has no install line")
	}

	proxy := filepath.Join(t.TempDir(), "proxy")
	var versions []modproxy.Version
	// The library's core modules, the integrations with other SDKs
	// (metrics, reporting: they bring those SDKs' own requirements), and
	// the commands, which are installed.
	var paths, integrations, commands []string
	for _, tag := range res.Tags {
		mod := strings.TrimSuffix(tag, "/"+version)
		v := modproxy.Version{Path: repo.Prefix + "/" + mod, Version: version, Subdir: mod, Revision: tag}
		switch strings.SplitN(mod, "/", 2)[0] {
		case "cmd":
			commands = append(commands, v.Path+"@"+version)
			continue
		case "metrics", "reporting":
			integrations = append(integrations, v.Path+"@"+version)
		default:
			paths = append(paths, v.Path+"@"+version)
		}
		versions = append(versions, v)
	}
	if len(commands) == 0 {
		t.Error("the release has no command module (cmd/dockerflow-check)")
	}
	all := versions
	for _, c := range commands {
		path, _, _ := strings.Cut(c, "@")
		all = append(all, modproxy.Version{Path: path, Version: version, Subdir: strings.TrimPrefix(path, repo.Prefix+"/"), Revision: strings.TrimPrefix(path, repo.Prefix+"/") + "/" + version})
	}
	if err := modproxy.Write(ctx, proxy, clone, all); err != nil {
		t.Fatal(err)
	}
	licensed(t, proxy, clone, all)

	consumer := t.TempDir()
	// A Go 1.23 service that already has its own testify and go-redis:
	// adding the library raises none of them.
	write(t, filepath.Join(consumer, "go.mod"), "module example.com/consumer\n\ngo 1.23\n\n"+
		"require (\n\tgithub.com/stretchr/testify v1.8.0\n\tgithub.com/redis/go-redis/v9 v9.17.0\n)\n")
	main, err := os.ReadFile("testdata/consumer.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(consumer, "main.go"), string(main))
	goCmd := consumerGo(t, ctx, consumer, proxy)
	// A service adds one adapter: its siblings come at the same version.
	goCmd("get", repo.Prefix+"/adapters/chi@"+version)
	for _, sibling := range []string{"core", "adapters/nethttp"} {
		if got := strings.TrimSpace(goCmd("list", "-m", "-f", "{{.Version}}", repo.Prefix+"/"+sibling)); got != version {
			t.Errorf("adding adapters/chi brings %s at %q, want %s", sibling, got, version)
		}
	}
	goCmd(append([]string{"get"}, paths...)...)
	if got := strings.TrimSpace(goCmd("list", "-m", "-f", "{{.Version}}", "github.com/stretchr/testify")); got != "v1.8.0" {
		t.Errorf("adding the library moved the consumer's testify from v1.8.0 to %s", got)
	}
	if gomod, _ := os.ReadFile(filepath.Join(consumer, "go.mod")); !strings.Contains(string(gomod), "\ngo 1.23\n") {
		t.Errorf("adding the library moved the consumer's go line:\n%s", gomod)
	}
	// client_golang, OpenTelemetry and sentry-go say go 1.23.0 and
	// require a newer testify: the integrations bring that with them.
	goCmd(append([]string{"get"}, integrations...)...)
	goCmd("mod", "tidy")
	gomod, _ := os.ReadFile(filepath.Join(consumer, "go.mod"))
	if strings.Contains(string(gomod), "replace") || !strings.Contains(string(gomod), "\ngo 1.23") || strings.Contains(string(gomod), "\ngo 1.24") {
		t.Errorf("the consumer's go.mod has a replace directive, or a go line above 1.23:\n%s", gomod)
	}
	for _, v := range versions {
		if got := strings.TrimSpace(goCmd("list", "-m", "-f", "{{.Version}}", v.Path)); got != version {
			t.Errorf("the consumer builds %s at %q, want %s", v.Path, got, version)
		}
	}
	goCmd("vet", "./...")
	bin := filepath.Join(consumer, "service")
	goCmd("build", "-o", bin, ".")

	redisAddr := fakeRedis(t)
	addrs := map[string]string{}
	// A version.json, as a built image has one: the contract asks for it,
	// and the checker below fails a service without one.
	write(t, filepath.Join(consumer, "version.json"), `{"source":"https://github.com/example/consumer","version":"v1.0.0","commit":"0123456789abcdef0123456789abcdef01234567","build":""}`)
	env := append(os.Environ(), "REDIS_ADDR="+redisAddr, "APP_DIR="+consumer)
	for _, name := range []string{"NETHTTP_ADDR", "CHI_ADDR", "ECHO_ADDR", "GIN_ADDR", "GORILLA_ADDR"} {
		addrs[name] = freeAddr(t)
		env = append(env, name+"="+addrs[name])
	}
	svc := exec.CommandContext(ctx, bin)
	svc.Env = env
	var out strings.Builder
	svc.Stdout, svc.Stderr = &out, &out
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		svc.Process.Kill()
		svc.Wait()
		if t.Failed() {
			t.Logf("the service printed:\n%s", out.String())
		}
	}()
	for name, addr := range addrs {
		base := "http://" + addr
		waitUp(t, ctx, base+"/__lbheartbeat__")
		for _, path := range []string{"/__lbheartbeat__", "/__heartbeat__"} {
			code, body := get(t, base+path)
			if code != http.StatusOK {
				t.Errorf("%s %s: %d %s, want 200", name, path, code, body)
			}
			if path == "/__heartbeat__" && body != `{"status":"ok"}` {
				t.Errorf("%s %s: body %s", name, path, body)
			}
		}
	}
	if code, body := get(t, "http://"+addrs["NETHTTP_ADDR"]+"/grpc"); code != http.StatusOK || body != "SERVING" {
		t.Errorf("gRPC health Check: %d %s, want 200 SERVING", code, body)
	}
	if code, body := get(t, "http://"+addrs["NETHTTP_ADDR"]+"/metrics"); code != http.StatusOK ||
		!strings.Contains(body, `dockerflow_heartbeats_total{status="ok"}`) || !strings.Contains(body, `dockerflow_check_up{check="redis"} 1`) {
		t.Errorf("/metrics: %d\n%s", code, body)
	}

	// The conformance checker installs from the release, as a team
	// installs it, and passes the consumer's service.
	for _, c := range commands {
		goCmd("install", c)
	}
	check := exec.CommandContext(ctx, filepath.Join(consumer, "bin", "dockerflow-check"), "http://"+addrs["NETHTTP_ADDR"])
	report, err := check.CombinedOutput()
	if err != nil || !strings.Contains(string(report), "0 failed") {
		t.Errorf("dockerflow-check on the consumer: %v\n%s", err, report)
	}
}

// A release is refused, saying why, for a dirty tree, a version that is
// not semver or not above the last one, and an incompatible API change
// without the bump and changelog line it needs.
func TestReleaseRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("releases into a throwaway clone")
	}
	ctx := context.Background()
	clone := cloneWorkTree(t)
	extra := filepath.Join(clone, "core", "zz_release_only.go")
	write(t, extra, "package dockerflow\n\n// ReleaseTestOnly is removed again to break the API.\nfunc ReleaseTestOnly() {}\n")
	noteBreaking(t, clone)
	first := nextMinor(t, clone, "")
	run := func(version string) (release.Result, error) {
		return release.Run(ctx, release.Options{Root: clone, Version: version})
	}
	refused := func(version, want string) {
		t.Helper()
		head := gitOut(t, clone, "rev-parse", "HEAD")
		_, err := run(version)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("release %s: err %v, want one saying %q\n%s", version, err, want, read(t, filepath.Join(clone, release.ChangelogFile)))
		}
		if now := gitOut(t, clone, "rev-parse", "HEAD"); now != head {
			t.Fatalf("a refused release %s moved HEAD", version)
		}
		if st := gitOut(t, clone, "status", "--porcelain"); st != "" {
			t.Fatalf("a refused release %s left changes:\n%s", version, st)
		}
	}

	refused("1.2.3", "not a semantic version")
	refused("v1.2", "not a semantic version")
	write(t, filepath.Join(clone, "stray.txt"), "x\n")
	if _, err := run(first); err == nil || !strings.Contains(err.Error(), "uncommitted changes") || !strings.Contains(err.Error(), "stray.txt") {
		t.Fatalf("a dirty tree: err %v, want one naming stray.txt", err)
	}
	os.Remove(filepath.Join(clone, "stray.txt"))

	res, err := run(first)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"core/" + first, "adapters/chi/" + first, "adapters/nethttp/" + first, "checks/sql/" + first, "logformat/" + first} {
		if !contains(res.Tags, want) {
			t.Errorf("tags %v lack %s", res.Tags, want)
		}
	}
	for _, tag := range res.Tags {
		if strings.HasPrefix(tag, "examples/") || strings.HasPrefix(tag, "bench/") || strings.HasPrefix(tag, "tools/") || strings.Contains(tag, "/test/") {
			t.Errorf("tag %s: not a library module", tag)
		}
	}
	chi := gitOut(t, clone, "show", res.Tags[0]+":adapters/chi/go.mod")
	if !strings.Contains(chi, "github.com/dockerflow-go/dockerflow/core "+first) || strings.Contains(chi, "v0.0.0") {
		t.Errorf("adapters/chi/go.mod at the release:\n%s", chi)
	}
	if got := gitOut(t, clone, "show", res.Commit+":"+release.RecordFile); !strings.HasSuffix(got, first) {
		t.Errorf("%s says %q, want %s", release.RecordFile, got, first)
	}
	if log := gitOut(t, clone, "show", res.Commit+":"+release.ChangelogFile); !strings.Contains(log, "## ["+first+"] - ") {
		t.Errorf("the changelog has no dated entry for %s:\n%s", first, log)
	}

	refused(first, "not above the last release")
	if err := os.Remove(extra); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(clone, release.ChangelogFile), strings.Replace(read(t, filepath.Join(clone, release.ChangelogFile)),
		"\n## [Unreleased]\n", "\n## [Unreleased]\n\n- ReleaseTestOnly is gone.\n", 1))
	commitAll(t, clone, "remove ReleaseTestOnly")
	patch := semver.MajorMinor(first) + ".1"
	refused(patch, "ReleaseTestOnly: removed")
	refused(patch, "need at least a new minor version")
	second := nextMinor(t, clone, "")
	refused(second, `must say what broke (a line with "Breaking:")`)
	noteBreaking(t, clone)
	if _, err := run(second); err != nil {
		t.Fatalf("release %s with the break noted: %v", second, err)
	}
}

// cloneWorkTree clones the repository into a throwaway folder and commits
// the work tree as it is there, so what is tested is what is on disk.
func cloneWorkTree(t *testing.T) string {
	t.Helper()
	for _, kv := range [][2]string{{"GIT_AUTHOR_NAME", "test"}, {"GIT_AUTHOR_EMAIL", "test@example.com"},
		{"GIT_COMMITTER_NAME", "test"}, {"GIT_COMMITTER_EMAIL", "test@example.com"}} {
		t.Setenv(kv[0], kv[1]) // the release commits too
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "repo")
	gitOut(t, "", "clone", "--quiet", "--no-local", root, clone)
	files := gitOut(t, root, "ls-files", "--cached", "--others", "--exclude-standard")
	// Every file is the work tree's: those removed from it (git rm) too.
	gitOut(t, clone, "rm", "-r", "-q", ".")
	for _, f := range strings.Split(files, "\n") {
		src := filepath.Join(root, f)
		data, err := os.ReadFile(src)
		if os.IsNotExist(err) {
			os.Remove(filepath.Join(clone, f)) // deleted in the work tree
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		info, _ := os.Stat(src)
		dst := filepath.Join(clone, f)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	commitAll(t, clone, "the work tree under test")
	return clone
}

func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	gitOut(t, dir, "add", "-A")
	gitOut(t, dir, "commit", "--quiet", "--allow-empty", "-m", msg)
}

// noteBreaking says in the changelog's Unreleased entry that the release
// may break, and commits it.
func noteBreaking(t *testing.T, clone string) {
	t.Helper()
	file := filepath.Join(clone, release.ChangelogFile)
	text := read(t, file)
	if !strings.Contains(text, "\n## [Unreleased]\n") {
		t.Fatalf("%s has no Unreleased heading", release.ChangelogFile)
	}
	write(t, file, strings.Replace(text, "\n## [Unreleased]\n", "\n## [Unreleased]\n\n- Breaking: whatever changed since the last release (a test's release).\n", 1))
	commitAll(t, clone, "changelog: a test's release")
}

// nextMinor is the version after the clone's last release with its minor
// number one up (v0.1.0 first), and suffix.
func nextMinor(t *testing.T, clone, suffix string) string {
	t.Helper()
	last, err := release.LastRelease(context.Background(), clone)
	if err != nil {
		t.Fatal(err)
	}
	if last.Version == "" {
		return "v0.1.0" + suffix
	}
	var major, minor int
	fmt.Sscanf(semver.MajorMinor(last.Version), "v%d.%d", &major, &minor)
	return fmt.Sprintf("v%d.%d.0%s", major, minor+1, suffix)
}

// consumerGo runs the go command in the consumer module as a user outside
// the repository would: no workspace, the test's proxy first, then the
// module cache's downloads (so nothing is fetched twice), then the real
// proxy; a module cache of its own, so nothing stale is used.
func consumerGo(t *testing.T, ctx context.Context, dir, proxy string) func(args ...string) string {
	cache := filepath.Join(t.TempDir(), "modcache")
	shared := strings.TrimSpace(gitless(t, "go", "env", "GOMODCACHE"))
	// Only proxies upstream: "direct" would try the network for a module
	// the test's proxy lacks, and hang where there is none.
	var upstream []string
	for _, p := range strings.FieldsFunc(strings.TrimSpace(gitless(t, "go", "env", "GOPROXY")), func(r rune) bool { return r == ',' || r == '|' }) {
		if p != "direct" && p != "off" {
			upstream = append(upstream, p)
		}
	}
	env := append(os.Environ(),
		"GOWORK=off", "GOTOOLCHAIN=local", "GOMODCACHE="+cache, "GOBIN="+filepath.Join(dir, "bin"),
		"GOFLAGS=-mod=mod -modcacherw -buildvcs=false",
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(shared, "cache", "download"))+","+strings.Join(append(upstream, "off"), ","),
		"GONOSUMDB="+repo.Prefix, "GOPRIVATE=", "GONOPROXY=")
	return func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
}

// fakeRedis answers PING with PONG, HELLO as a Redis without RESP3 does,
// and anything else OK: enough for a go-redis client's check.
func fakeRedis(t *testing.T) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lis.Close() })
	go func() {
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					cmd, err := readCommand(r)
					if err != nil {
						return
					}
					reply := "+OK\r\n"
					switch strings.ToUpper(cmd) {
					case "PING":
						reply = "+PONG\r\n"
					case "HELLO":
						reply = "-ERR unknown command 'HELLO'\r\n"
					}
					if _, err := io.WriteString(c, reply); err != nil {
						return
					}
				}
			}()
		}
	}()
	return lis.Addr().String()
}

// readCommand reads one RESP array of bulk strings and returns its first.
func readCommand(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	var n int
	if _, err := fmt.Sscanf(line, "*%d", &n); err != nil {
		return "", err
	}
	var first string
	for i := 0; i < n; i++ {
		if _, err := r.ReadString('\n'); err != nil { // $len
			return "", err
		}
		arg, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if i == 0 {
			first = strings.TrimSpace(arg)
		}
	}
	return first, nil
}

func freeAddr(t *testing.T) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	return lis.Addr().String()
}

func waitUp(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a hang guard, not a speed bound
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func gitless(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// licensed checks that every module's zip in the proxy holds the
// repository's LICENSE at its root.
func licensed(t *testing.T, proxy, clone string, versions []modproxy.Version) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join(clone, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		escaped, err := module.EscapePath(v.Path)
		if err != nil {
			t.Fatal(err)
		}
		z, err := zip.OpenReader(filepath.Join(proxy, escaped, "@v", v.Version+".zip"))
		if err != nil {
			t.Errorf("%s@%s: %v", v.Path, v.Version, err)
			continue
		}
		found := false
		for _, f := range z.File {
			if f.Name != v.Path+"@"+v.Version+"/LICENSE" {
				continue
			}
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			r.Close()
			found = bytes.Equal(got, want)
		}
		z.Close()
		if !found {
			t.Errorf("the zip of %s@%s has no LICENSE, or another one than the repository's", v.Path, v.Version)
		}
	}
}
