package examples

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"go.yaml.in/yaml/v3"
)

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"` // a name or a number
	} `yaml:"httpGet"`
	PeriodSeconds    int `yaml:"periodSeconds"`
	TimeoutSeconds   int `yaml:"timeoutSeconds"`
	FailureThreshold int `yaml:"failureThreshold"`
}

type probes struct {
	Liveness                      *probe `yaml:"livenessProbe"`
	Readiness                     *probe `yaml:"readinessProbe"`
	Startup                       *probe `yaml:"startupProbe"`
	TerminationGracePeriodSeconds int    `yaml:"terminationGracePeriodSeconds"`
}

type deployment struct {
	Kind string `yaml:"kind"`
	Spec struct {
		Template struct {
			Spec struct {
				TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
				SecurityContext               struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
					RunAsUser    int  `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				Containers []struct {
					probes `yaml:",inline"`
					Ports  []struct {
						Name          string `yaml:"name"`
						ContainerPort int    `yaml:"containerPort"`
					} `yaml:"ports"`
					Env []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
					SecurityContext struct {
						ReadOnlyRootFilesystem   bool `yaml:"readOnlyRootFilesystem"`
						AllowPrivilegeEscalation bool `yaml:"allowPrivilegeEscalation"`
					} `yaml:"securityContext"`
					Resources struct {
						Requests map[string]string `yaml:"requests"`
						Limits   map[string]string `yaml:"limits"`
					} `yaml:"resources"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// The Kubernetes manifests agree with the Dockerfile (port, user), the
// recommended probes of docs/lifecycle-and-kubernetes.md, and the service's timeouts.
func TestKubernetesManifests(t *testing.T) {
	var d deployment
	readYAML(t, "kubernetes/deployment.yaml", &d)
	pod := d.Spec.Template.Spec
	if d.Kind != "Deployment" || len(pod.Containers) != 1 {
		t.Fatalf("want a Deployment of one container: %+v", d)
	}
	c := pod.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}

	docker, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	dockerPort := regexp.MustCompile(`(?m)^EXPOSE (\d+)$`).FindStringSubmatch(string(docker))
	dockerUID := regexp.MustCompile(`app:x:(\d+):`).FindStringSubmatch(string(docker))
	if dockerPort == nil || dockerUID == nil || !strings.Contains(string(docker), "\nUSER app\n") {
		t.Fatal("the Dockerfile no longer says its port, user and uid as this test reads them")
	}
	if len(c.Ports) != 1 || strconv.Itoa(c.Ports[0].ContainerPort) != dockerPort[1] || env["PORT"] != dockerPort[1] {
		t.Errorf("ports %+v, PORT=%q; the image listens on %s", c.Ports, env["PORT"], dockerPort[1])
	}
	if !pod.SecurityContext.RunAsNonRoot || strconv.Itoa(pod.SecurityContext.RunAsUser) != dockerUID[1] {
		t.Errorf("security context %+v; the image's user is %s", pod.SecurityContext, dockerUID[1])
	}
	if !c.SecurityContext.ReadOnlyRootFilesystem || c.SecurityContext.AllowPrivilegeEscalation {
		t.Errorf("container security context %+v", c.SecurityContext)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v", c.Resources)
	}

	// Liveness never runs the checks; readiness does.
	for name, p := range map[string]*probe{"liveness": c.Liveness, "readiness": c.Readiness, "startup": c.Startup} {
		if p == nil {
			t.Fatalf("no %s probe", name)
		}
	}
	if c.Liveness.HTTPGet.Path != "/__lbheartbeat__" || c.Startup.HTTPGet.Path != "/__lbheartbeat__" || c.Readiness.HTTPGet.Path != "/__heartbeat__" {
		t.Errorf("probe paths: liveness %s, startup %s, readiness %s", c.Liveness.HTTPGet.Path, c.Startup.HTTPGet.Path, c.Readiness.HTTPGet.Path)
	}
	// The readiness probe waits longer than a check may take with its
	// grace (a tenth), so that its answer names the check that hung.
	checkTimeout, err := time.ParseDuration(env["DOCKERFLOW_CHECK_TIMEOUT"])
	if err != nil {
		t.Fatalf("DOCKERFLOW_CHECK_TIMEOUT: %v", err)
	}
	if wait := time.Duration(c.Readiness.TimeoutSeconds) * time.Second; wait <= checkTimeout+checkTimeout/10 {
		t.Errorf("readiness timeout %v is not above the check timeout %v and its grace", wait, checkTimeout)
	}
	// The grace period outlasts the service's own drain and shutdown, as
	// the service reads them.
	cfg, err := dockerflow.ConfigFromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	df, err := dockerflow.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer df.Close()
	delay, shutdown := durationOf(t, env, "DOCKERFLOW_DRAIN_DELAY"), durationOf(t, env, "DOCKERFLOW_SHUTDOWN_TIMEOUT")
	if grace := time.Duration(pod.TerminationGracePeriodSeconds) * time.Second; grace <= delay+shutdown {
		t.Errorf("terminationGracePeriodSeconds %v is not above the drain delay %v and the shutdown timeout %v", grace, delay, shutdown)
	}

	// The docs recommend the same probes.
	readme, err := os.ReadFile("../docs/lifecycle-and-kubernetes.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)Recommended probes.*?```yaml\n(.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("no recommended probes in docs/lifecycle-and-kubernetes.md")
	}
	var rec probes
	if err := yaml.Unmarshal(block[1], &rec); err != nil {
		t.Fatalf("the docs' probes: %v", err)
	}
	for name, pair := range map[string][2]*probe{"liveness": {rec.Liveness, c.Liveness}, "readiness": {rec.Readiness, c.Readiness}, "startup": {rec.Startup, c.Startup}} {
		r, m := pair[0], pair[1]
		if r == nil || r.HTTPGet.Path != m.HTTPGet.Path || r.PeriodSeconds != m.PeriodSeconds || r.TimeoutSeconds != m.TimeoutSeconds || r.FailureThreshold != m.FailureThreshold {
			t.Errorf("%s probe: docs %+v, manifest %+v", name, r, m)
		}
	}
	if rec.TerminationGracePeriodSeconds != pod.TerminationGracePeriodSeconds {
		t.Errorf("grace period: docs %d, manifest %d", rec.TerminationGracePeriodSeconds, pod.TerminationGracePeriodSeconds)
	}

	var svc struct {
		Kind string `yaml:"kind"`
		Spec struct {
			Ports []struct {
				TargetPort string `yaml:"targetPort"`
			} `yaml:"ports"`
		} `yaml:"spec"`
	}
	readYAML(t, "kubernetes/service.yaml", &svc)
	if svc.Kind != "Service" || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort != c.Ports[0].Name {
		t.Errorf("service %+v does not target the container's port %q", svc, c.Ports[0].Name)
	}
}

func durationOf(t *testing.T, env map[string]string, name string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(env[name])
	if err != nil {
		t.Fatalf("the manifest sets no %s: %v", name, err)
	}
	return d
}
