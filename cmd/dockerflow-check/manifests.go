package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxManifest bounds what is read of one manifest file.
const maxManifest = 4 << 20

// podSpec is what the checker reads of a pod's spec, in any workload
// (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod).
type podSpec struct {
	TerminationGracePeriodSeconds *int64      `yaml:"terminationGracePeriodSeconds"`
	Containers                    []container `yaml:"containers"`
}

type container struct {
	Name string `yaml:"name"`
	Env  []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	Liveness  *probe `yaml:"livenessProbe"`
	Readiness *probe `yaml:"readinessProbe"`
	Startup   *probe `yaml:"startupProbe"`
	Lifecycle *struct {
		PreStop *struct {
			Sleep *struct {
				Seconds int64 `yaml:"seconds"`
			} `yaml:"sleep"`
			Exec *struct {
				Command []string `yaml:"command"`
			} `yaml:"exec"`
		} `yaml:"preStop"`
	} `yaml:"lifecycle"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
	} `yaml:"httpGet"`
	GRPC *struct {
		Service string `yaml:"service"`
	} `yaml:"grpc"`
	TimeoutSeconds   *int64 `yaml:"timeoutSeconds"`
	PeriodSeconds    *int64 `yaml:"periodSeconds"`
	FailureThreshold *int64 `yaml:"failureThreshold"`
}

// noticed is how long a probe that starts failing is sure to keep its
// pod's state: (failureThreshold - 1) x periodSeconds, 3 and 10 s by
// default (the first failure may come at once, the last flips it).
func (p *probe) noticed() time.Duration {
	period, threshold := int64(10), int64(3)
	if p.PeriodSeconds != nil && *p.PeriodSeconds > 0 {
		period = *p.PeriodSeconds
	}
	if p.FailureThreshold != nil && *p.FailureThreshold > 0 {
		threshold = *p.FailureThreshold
	}
	return time.Duration((threshold-1)*period) * time.Second
}

// what a probe asks for: its path, or grpc:<service>, tcp or exec.
func (p *probe) what() string {
	switch {
	case p == nil:
		return ""
	case p.HTTPGet != nil:
		return p.HTTPGet.Path
	case p.GRPC != nil:
		return "grpc:" + p.GRPC.Service
	}
	return "other"
}

// timeout is the probe's timeout: timeoutSeconds, 1 s by default.
func (p *probe) timeout() time.Duration {
	if p.TimeoutSeconds == nil || *p.TimeoutSeconds <= 0 {
		return time.Second
	}
	return time.Duration(*p.TimeoutSeconds) * time.Second
}

// workload is one manifest's pod, named for the report.
type workload struct {
	name string
	spec podSpec
}

// readManifests reads path, a YAML file or a folder of them (.yaml,
// .yml), every document of each, and returns the workloads they hold.
func readManifests(path string) ([]workload, error) {
	var files []string
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (p == path || strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []workload
	for _, f := range files {
		w, err := readManifest(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, w...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) in %s", path)
	}
	return out, nil
}

func readManifest(path string) ([]workload, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxManifest+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxManifest {
		return nil, fmt.Errorf("over %d MiB", maxManifest>>20)
	}
	var out []workload
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var doc struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
			Spec struct {
				podSpec     `yaml:",inline"`
				Template    *struct{ Spec podSpec } `yaml:"template"`
				JobTemplate *struct {
					Spec struct {
						Template struct{ Spec podSpec }
					}
				} `yaml:"jobTemplate"`
			} `yaml:"spec"`
		}
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		name := doc.Kind + "/" + doc.Metadata.Name
		switch doc.Kind {
		case "Pod":
			out = append(out, workload{name, doc.Spec.podSpec})
		case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job":
			if doc.Spec.Template != nil {
				out = append(out, workload{name, doc.Spec.Template.Spec})
			}
		case "CronJob":
			if doc.Spec.JobTemplate != nil {
				out = append(out, workload{name, doc.Spec.JobTemplate.Spec.Template.Spec})
			}
		}
	}
}

// manifests checks each workload's containers: probes the right way
// round, probe timeouts above the check timeout, a grace period above
// what stopping takes.
func (c *checker) manifests(ws []workload) {
	var probes, timeouts, grace, terminating []string
	var probesOK, timeoutsOK, graceOK, terminatingOK []string
	for _, w := range ws {
		for _, ct := range w.spec.Containers {
			at := w.name + " " + ct.Name
			env := map[string]string{}
			for _, e := range ct.Env {
				env[e.Name] = e.Value
			}
			live, ready := ct.Liveness.what(), ct.Readiness.what()
			switch {
			case live == pathHeartbeat && ready == pathLBHeartbeat:
				probes = append(probes, at+": liveness on /__heartbeat__ and readiness on /__lbheartbeat__: swapped")
			case live == pathHeartbeat || live == "grpc:":
				probes = append(probes, at+": liveness on "+live+", which runs the checks: one outage restarts every pod")
			case ready == "":
				probes = append(probes, at+": no readiness probe: a pod whose backends fail keeps its traffic")
			case ready == pathLBHeartbeat || ready == "grpc:__lbheartbeat__":
				probes = append(probes, at+": readiness on "+ready+", which never sees a backend")
			case live != "" && live != pathLBHeartbeat && live != "grpc:__lbheartbeat__" && live != "other":
				probes = append(probes, at+": liveness on "+live+": only /__lbheartbeat__ is known to touch no backend")
			default:
				probesOK = append(probesOK, at)
			}

			if d, ok := envDuration(env, "DOCKERFLOW_CHECK_TIMEOUT"); ok {
				for _, p := range []struct {
					name string
					p    *probe
				}{{"readiness", ct.Readiness}, {"startup", ct.Startup}, {"liveness", ct.Liveness}} {
					if w := p.p.what(); w == pathHeartbeat || w == "grpc:" {
						if p.p.timeout() <= d {
							timeouts = append(timeouts, fmt.Sprintf("%s: %s probe timeout %v, not above DOCKERFLOW_CHECK_TIMEOUT %v", at, p.name, p.p.timeout(), d))
						} else {
							timeoutsOK = append(timeoutsOK, at+" "+p.name)
						}
					}
				}
			}

			delay, okDelay := envDuration(env, "DOCKERFLOW_DRAIN_DELAY")
			shutdown, okShutdown := envDuration(env, "DOCKERFLOW_SHUTDOWN_TIMEOUT")
			sleep := preStopSleep(ct)
			if r := ct.Readiness.what(); okDelay && delay > 0 && (r == pathHeartbeat || r == "grpc:") {
				if n := ct.Readiness.noticed(); n < delay {
					terminating = append(terminating, fmt.Sprintf("%s: the readiness probe may fail a draining pod after %v ((failureThreshold - 1) x periodSeconds), before its drain delay %v ends: when every endpoint terminates (a one-replica rollout, a node drain), KEP-1669's fallback loses it while it still serves",
						at, n, delay))
				} else {
					terminatingOK = append(terminatingOK, fmt.Sprintf("%s: %v, not below %v", at, n, delay))
				}
			}
			if okDelay || okShutdown || sleep > 0 {
				g := 30 * time.Second // Kubernetes' default
				if p := w.spec.TerminationGracePeriodSeconds; p != nil {
					g = time.Duration(*p) * time.Second
				}
				need := delay + shutdown + sleep
				if g <= need {
					grace = append(grace, fmt.Sprintf("%s: terminationGracePeriodSeconds %v, not above preStop sleep %v + drain delay %v + shutdown timeout %v = %v",
						at, g, sleep, delay, shutdown, need))
				} else {
					graceOK = append(graceOK, fmt.Sprintf("%s: %v above %v", at, g, need))
				}
			}
		}
	}
	c.check(ruleK8sProbes, verdict(len(probes) == 0), "liveness on /__lbheartbeat__, readiness on /__heartbeat__", seenList(probes, strings.Join(probesOK, ", ")))
	if len(timeouts)+len(timeoutsOK) > 0 {
		c.check(ruleK8sTimeouts, verdict(len(timeouts) == 0), "probe timeouts above the check timeout", seenList(timeouts, strings.Join(timeoutsOK, ", ")))
	} else {
		c.check(ruleK8sTimeouts, pass, "probe timeouts above the check timeout", "not exercised: no container sets DOCKERFLOW_CHECK_TIMEOUT beside a probe on /__heartbeat__")
	}
	if len(grace)+len(graceOK) > 0 {
		c.check(ruleK8sGrace, verdict(len(grace) == 0), "a grace period above what stopping takes", seenList(grace, strings.Join(graceOK, "; ")))
	} else {
		c.check(ruleK8sGrace, pass, "a grace period above what stopping takes", "not exercised: no container sets DOCKERFLOW_DRAIN_DELAY, DOCKERFLOW_SHUTDOWN_TIMEOUT or a preStop sleep")
	}
	if len(terminating)+len(terminatingOK) > 0 {
		c.check(ruleK8sTerminating, verdict(len(terminating) == 0), "a draining pod stays serving through its drain delay", seenList(terminating, strings.Join(terminatingOK, "; ")))
	} else {
		c.check(ruleK8sTerminating, pass, "a draining pod stays serving through its drain delay", "not exercised: no container sets DOCKERFLOW_DRAIN_DELAY beside a readiness probe on /__heartbeat__")
	}
}

// envDuration reads a duration from a container's environment.
func envDuration(env map[string]string, name string) (time.Duration, bool) {
	v, ok := env[name]
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	return d, err == nil
}

// preStopSleep is how long a container's preStop hook sleeps: the
// native sleep action (Kubernetes 1.30 and later, GA in 1.34, which
// needs no shell or sleep binary in the image), or an exec of sleep.
func preStopSleep(ct container) time.Duration {
	if ct.Lifecycle == nil || ct.Lifecycle.PreStop == nil {
		return 0
	}
	ps := ct.Lifecycle.PreStop
	if ps.Sleep != nil {
		return time.Duration(ps.Sleep.Seconds) * time.Second
	}
	if ps.Exec != nil {
		cmd := strings.Join(ps.Exec.Command, " ")
		var n float64
		for _, f := range []string{"sleep %g", "/bin/sleep %g", "/usr/bin/sleep %g", "sh -c sleep %g", "/bin/sh -c sleep %g"} {
			if _, err := fmt.Sscanf(cmd, f, &n); err == nil {
				return time.Duration(n * float64(time.Second))
			}
		}
	}
	return 0
}
