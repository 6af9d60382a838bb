package examples

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A service that adds one of the library's modules gets, in its module
// graph, only what that module's code needs: no test driver, no adapter,
// no test server. (A module's test-only requirements reach every consumer's
// go.mod graph and go.sum, and can force its own versions up; the tests
// that need them live in nested test modules.)
func TestConsumerModuleGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy on throwaway modules")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	drivers := []string{"github.com/jackc/pgx", "github.com/go-sql-driver/mysql", "modernc.org/sqlite", "github.com/alicebob/miniredis"}
	frameworks := []string{"github.com/go-chi/chi", "github.com/labstack/echo", "github.com/gin-gonic/gin", "google.golang.org/grpc"}
	// What a consumer of each module must not get.
	foreignTo := map[string][]string{}
	for _, module := range []string{"core", "checks/sql", "checks/redis", "logformat"} {
		foreignTo[module] = append(append(slices.Clone(drivers), frameworks...), "/adapters/")
	}
	// An adapter brings its framework, and nothing of the others'.
	foreignTo["adapters/gin"] = append(slices.Clone(drivers), "github.com/go-chi/chi", "github.com/labstack/echo", "google.golang.org/grpc", "/adapters/nethttp")
	foreignTo["adapters/grpc"] = append(slices.Clone(drivers), "github.com/go-chi/chi", "github.com/labstack/echo", "github.com/gin-gonic/gin", "/adapters/nethttp")
	for module, foreign := range foreignTo {
		t.Run(module, func(t *testing.T) {
			dir := t.TempDir()
			path := "github.com/dockerflow-go/dockerflow/" + module
			gomod := "module example.com/consumer\n\ngo 1.23\n\nrequire " + path + " v0.0.0\n\n" +
				"replace " + path + " => " + filepath.Join(root, module) + "\n"
			if module != "core" {
				gomod += "replace github.com/dockerflow-go/dockerflow/core => " + filepath.Join(root, "core") + "\n"
			}
			write(t, filepath.Join(dir, "go.mod"), gomod)
			write(t, filepath.Join(dir, "main.go"), "package main\n\nimport _ \""+path+"\"\n\nfunc main() {}\n")
			run := func(args ...string) string {
				cmd := exec.Command("go", args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			run("mod", "tidy")
			graph := run("list", "-m", "all")
			sum, _ := os.ReadFile(filepath.Join(dir, "go.sum"))
			if own := map[string]string{"adapters/gin": "github.com/gin-gonic/gin", "adapters/grpc": "google.golang.org/grpc"}[module]; own != "" && !strings.Contains(graph, own) {
				t.Errorf("a consumer of %s does not get %s: the graph was not read\n%s", module, own, graph)
			}
			for _, f := range foreign {
				if strings.Contains(graph, f) || strings.Contains(string(sum), f) {
					t.Errorf("a consumer of %s gets %s in its module graph:\n%s", module, f, graph)
				}
			}
		})
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A service that logs through log/slog only does not link logrus; one on
// logrus does (the check can fail).
func TestSlogOnlyBinaryLinksNoLogrus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds throwaway binaries")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for pkg, wantLogrus := range map[string]bool{"core/mozlog": false, "logformat": true} {
		t.Run(pkg, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "go.mod"), "module example.com/consumer\n\ngo 1.23\n\n"+
				"require github.com/dockerflow-go/dockerflow/logformat v0.0.0\n\n"+
				"replace github.com/dockerflow-go/dockerflow/logformat => "+filepath.Join(root, "logformat")+"\n"+
				"replace github.com/dockerflow-go/dockerflow/core => "+filepath.Join(root, "core")+"\n")
			write(t, filepath.Join(dir, "main.go"), "package main\n\nimport _ \"github.com/dockerflow-go/dockerflow/"+pkg+"\"\n\nfunc main() {}\n")
			out := buildConsumer(t, dir)
			if got := strings.Contains(out, "github.com/sirupsen/logrus"); got != wantLogrus {
				t.Errorf("a binary importing %s links logrus: %v, want %v\n%s", pkg, got, wantLogrus, out)
			}
		})
	}
}

// A service on go-redis v8 uses checks/redis without go-redis v9 in its
// module graph or its binary.
func TestRedisCheckOnGoRedisV8(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a throwaway binary")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/consumer\n\ngo 1.23\n\n"+
		"require github.com/dockerflow-go/dockerflow/checks/redis v0.0.0\n\n"+
		"replace github.com/dockerflow-go/dockerflow/checks/redis => "+filepath.Join(root, "checks/redis")+"\n"+
		"replace github.com/dockerflow-go/dockerflow/core => "+filepath.Join(root, "core")+"\n")
	write(t, filepath.Join(dir, "main.go"), `package main

import (
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	"github.com/go-redis/redis/v8"
)

func main() {
	rdb := redis.NewClient(&redis.Options{Addr: "cache:6379", MaxRetries: -1})
	_ = redischeck.New(rdb)
}
`)
	out := buildConsumer(t, dir, "github.com/go-redis/redis/v8@v8.11.5")
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.Contains(out, "github.com/go-redis/redis/v8") {
		t.Fatalf("the binary was not read: %s", out)
	}
	if strings.Contains(out, "redis/go-redis/v9") || strings.Contains(string(gomod), "redis/go-redis/v9") {
		t.Errorf("a go-redis v8 service gets go-redis v9:\n%s\n%s", gomod, out)
	}
}

// buildConsumer gets the modules named, tidies and builds the consumer
// module in dir on its own (GOWORK=off), and returns what go version -m
// says of the binary: the modules it links.
func buildConsumer(t *testing.T, dir string, get ...string) string {
	t.Helper()
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	steps := [][]string{{"mod", "tidy"}, {"build", "-o", "svc", "."}, {"version", "-m", "svc"}}
	if len(get) > 0 {
		steps = append([][]string{append([]string{"get"}, get...)}, steps...)
	}
	var out []byte
	for _, args := range steps {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, env
		var err error
		if out, err = cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return string(out)
}
