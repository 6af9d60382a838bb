package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// Every example, on embedded defaults, passes dockerflow-check, its logs
// and the repository's Dockerfile included (GRPC_PORT is for the gRPC
// example's own port; the others ignore it).
func TestExamplesPassDockerflowCheck(t *testing.T) {
	for _, example := range append(examples, "grpc") { // grpc's HTTP side
		t.Run(example, func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "stdout.log")
			log, err := os.Create(logPath)
			if err != nil {
				t.Fatal(err)
			}
			defer log.Close()
			// A version.json, as a deployed image has one (without it the
			// examples answer the contract's 404, which the checker warns of).
			dir, _ := versionDir(t)
			s := startLogged(t, example, log, "APP_DIR="+dir, "DATABASE_URL=", "REDIS_URL=", "GRPC_PORT="+strconv.Itoa(freePort(t)))
			out, err := exec.Command(bin["dockerflow-check"], "--json", "--logs", logPath, "--dockerfile", "../../Dockerfile", s.base).Output()
			var rep struct {
				Results []struct{ Rule, Verdict, Expected, Seen string }
				Counts  map[string]int
			}
			if jerr := json.Unmarshal(out, &rep); jerr != nil {
				t.Fatalf("dockerflow-check: %v, %v\n%s", err, jerr, out)
			}
			for _, r := range rep.Results {
				if r.Verdict != "pass" {
					t.Errorf("%s: %s: expected %s, seen %s", r.Rule, r.Verdict, r.Expected, r.Seen)
				}
			}
			if err != nil || len(rep.Results) < 20 {
				t.Errorf("dockerflow-check: %v, %d results", err, len(rep.Results))
			}
		})
	}
}
