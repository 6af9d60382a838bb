package release

import "testing"

// A release sets the README's install lines to its version and drops the
// "next release" notes of the modules it contains (issue 33: they stayed
// at the previous version, with notes on modules the release holds).
func TestInstallLines(t *testing.T) {
	const text = "# x\n\n```sh\n" +
		"go get github.com/dockerflow-go/dockerflow/core@v0.1.0              # import as dockerflow\n" +
		"go get github.com/dockerflow-go/dockerflow/adapters/gorilla@v0.1.0  # gorilla/mux (from the next release)\n" +
		"go get github.com/dockerflow-go/dockerflow/static@v0.1.0            # static (next release)\n" +
		"go get github.com/dockerflow-go/dockerflow/logformat/zap@v0.1.0     # zap (next release)\n" +
		"go install github.com/dockerflow-go/dockerflow/cmd/dockerflow-check@latest  # the checker (next release)\n" +
		"go get github.com/other/thing@v1.0.0\n" +
		"```\n"
	got := installLines(text, "v0.2.0", []string{"core", "adapters/gorilla", "static", "cmd/dockerflow-check"})
	const want = "# x\n\n```sh\n" +
		"go get github.com/dockerflow-go/dockerflow/core@v0.2.0              # import as dockerflow\n" +
		"go get github.com/dockerflow-go/dockerflow/adapters/gorilla@v0.2.0  # gorilla/mux\n" +
		"go get github.com/dockerflow-go/dockerflow/static@v0.2.0            # static\n" +
		"go get github.com/dockerflow-go/dockerflow/logformat/zap@v0.1.0     # zap (next release)\n" +
		"go install github.com/dockerflow-go/dockerflow/cmd/dockerflow-check@latest  # the checker\n" +
		"go get github.com/other/thing@v1.0.0\n" +
		"```\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
