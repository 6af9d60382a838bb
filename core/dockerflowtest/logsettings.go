package dockerflowtest

import (
	"bytes"
	"io"
	"strings"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// FrontEnd builds a logging front end under test (logrus, slog, zap,
// zerolog...) with opts, writing to out: the dockerflow.Logger the
// service is given, and hello, which logs "hello" with the field k=v
// through the application's side of the same front end.
type FrontEnd func(opts mozlog.Options, out io.Writer) (l dockerflow.Logger, hello func())

// LogSettings checks that the environment's log settings reach a front
// end: with DOCKERFLOW_LOG_FORMAT=text and
// DOCKERFLOW_LOG_CLOUD_SEVERITY=true, a front end built from
// mozlog.OptionsFromEnv is accepted by dockerflow.New and writes the text
// format, and each of others (Loggers whose front end writes otherwise)
// fails New with an error naming the variable.
func LogSettings(t *testing.T, frontEnd FrontEnd, others ...dockerflow.Logger) {
	t.Helper()
	env := Env(map[string]string{"DOCKERFLOW_LOG_FORMAT": "text", "DOCKERFLOW_LOG_CLOUD_SEVERITY": "true"})
	cfg, err := dockerflow.ConfigFromEnv(env)
	if err != nil {
		t.Fatal(err)
	}
	o, err := mozlog.OptionsFromEnv(env)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	l, hello := frontEnd(o, &buf)
	cfg.Logger = l
	svc, err := dockerflow.New(cfg)
	if err != nil {
		t.Fatalf("New with the front end the environment describes: %v", err)
	}
	defer svc.Close()
	hello()
	if !strings.Contains(buf.String(), " INFO app.log hello k=v") {
		t.Errorf("line %q: want the text format", buf.String())
	}
	for _, other := range others {
		cfg.Logger = other
		if _, err := dockerflow.New(cfg); err == nil || !strings.Contains(err.Error(), "DOCKERFLOW_LOG_FORMAT") {
			t.Errorf("a %T with DOCKERFLOW_LOG_FORMAT=text: err %v, want one naming the variable", other, err)
		}
	}
}
