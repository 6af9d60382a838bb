package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// Every example, on embedded defaults, passes dockerflow-check under both
// profiles, its logs, an application route (/notes/x), /__error__ and the
// repository's Dockerfile included, and examples/kubernetes' manifests
// (GRPC_PORT is for the gRPC example's own port; the others ignore it).
func TestExamplesPassDockerflowCheck(t *testing.T) {
	for _, example := range append(examples, "grpc") { // grpc's HTTP side
		for _, profile := range []string{"dockerflow", "strict"} {
			t.Run(example+"/"+profile, func(t *testing.T) {
				logPath := filepath.Join(t.TempDir(), "stdout.log")
				log, err := os.Create(logPath)
				if err != nil {
					t.Fatal(err)
				}
				defer log.Close()
				// A version.json, as a deployed image has one (without it the
				// examples answer the contract's 404, which fails).
				dir, _ := versionDir(t)
				s := startLogged(t, example, log, "APP_DIR="+dir, "DATABASE_URL=", "REDIS_URL=", "GRPC_PORT="+strconv.Itoa(freePort(t)),
					"DOCKERFLOW_ENABLE_ERROR_ENDPOINT=true")
				args := []string{"--format", "json", "--profile", profile, "--logs", logPath, "--dockerfile", "../../Dockerfile",
					"--manifests", "../kubernetes", s.base}
				if example != "grpc" {
					args = append([]string{"--path", "/notes/x"}, args...)
				}
				out, err := exec.Command(bin["dockerflow-check"], args...).Output()
				var rep struct {
					Results []struct{ Rule, Verdict, Expected, Seen string }
					Counts  map[string]int
				}
				if jerr := json.Unmarshal(out, &rep); jerr != nil {
					t.Fatalf("dockerflow-check: %v, %v\n%s", err, jerr, out)
				}
				judged := map[string]bool{}
				for _, r := range rep.Results {
					judged[r.Rule] = true
					if r.Verdict != "pass" {
						t.Errorf("%s: %s: expected %s, seen %s", r.Rule, r.Verdict, r.Expected, r.Seen)
					}
				}
				for _, rule := range []string{"error.endpoint", "error.traceback", "logs.rid", "manifests.probes", "dockerfile.user"} {
					if !judged[rule] {
						t.Errorf("%s was not judged", rule)
					}
				}
				if err != nil || len(rep.Results) < 25 {
					t.Errorf("dockerflow-check: %v, %d results", err, len(rep.Results))
				}
			})
		}
	}
}
