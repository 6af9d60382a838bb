package repo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// profilers are packages that register handlers on http.DefaultServeMux
// when linked: net/http/pprof (/debug/pprof/*) and expvar (/debug/vars,
// which shows the command line and its secrets).
var profilers = []string{"net/http/pprof", "expvar"}

// allowedProfiler names the library modules that cannot help linking one,
// and why: the exception is written here, where a new one must be argued.
var allowedProfiler = map[string]string{
	// client_golang's prometheus package imports expvar itself (its
	// deprecated NewExpvarCollector); the module's docs say to serve
	// /metrics on a mux of one's own, never http.DefaultServeMux.
	"metrics/prometheus": "expvar",
}

// No library module links net/http/pprof or expvar (issue 33: the chi
// adapter imported chi's middleware package, which imports both, so every
// chi service linked pprof and registered /debug/pprof/* on
// http.DefaultServeMux at start-up). The packages a module's code needs
// (go list -deps, tests left out) are what a service that imports it links.
func TestNoProfilerInTheLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list in every library module")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	mods, err := LibraryModules(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) < 10 {
		t.Fatalf("only %d library modules found under %s: %v", len(mods), root, mods)
	}
	for _, m := range mods {
		cmd := exec.Command("go", "list", "-deps", "./...")
		cmd.Dir = filepath.Join(root, m)
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		if strings.HasPrefix(m, "cmd/") { // built in the workspace, as the Makefile does
			cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(root, "go.work"))
		}
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("%s: go list -deps: %v", m, err)
			continue
		}
		deps := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			deps[p] = true
		}
		for _, p := range profilers {
			if deps[p] && allowedProfiler[m] != p {
				t.Errorf("%s links %s, which registers handlers on http.DefaultServeMux", m, p)
			}
		}
	}
}
