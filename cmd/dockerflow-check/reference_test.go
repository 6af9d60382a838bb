package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The reference apps: python-dockerflow's Django, Flask and FastAPI
// integrations, each serving a version.json and one route of its own, and
// logging mozlog to a file, as python-dockerflow's documentation sets
// them up. Their sources are written into a temporary folder; the
// integration's source is read from where TEST_DOCKERFLOW_PYTHON_DOCKERFLOW
// says (python-dockerflow's src folder: test data, never copied here).
var referenceApps = map[string]struct {
	files map[string]string
	args  []string // python's arguments; PORT, APP_DIR and LOG_FILE are set
}{
	"flask": {map[string]string{"refapp.py": `import logging.config, os
from flask import Flask
from dockerflow.flask import Dockerflow
logging.config.dictConfig(LOGGING := {
    "version": 1,
    "formatters": {"json": {"()": "dockerflow.logging.JsonLogFormatter", "logger_name": "flaskref"}},
    "filters": {"rid": {"()": "dockerflow.logging.RequestIdLogFilter"}},
    "handlers": {"file": {"class": "logging.FileHandler", "formatter": "json", "filters": ["rid"], "filename": os.environ["LOG_FILE"]}},
    "loggers": {"request.summary": {"handlers": ["file"], "level": "DEBUG"}, "dockerflow": {"handlers": ["file"], "level": "DEBUG"}},
})
app = Flask(__name__)
dockerflow = Dockerflow(app, version_path=os.environ["APP_DIR"])
@app.route("/app/hello")
def hello():
    return "hello"
app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
`}, []string{"refapp.py"}},
	"django": {map[string]string{"refsettings.py": `import os
BASE_DIR = os.environ["APP_DIR"]
SECRET_KEY = "dockerflow-check-reference-app-not-a-secret-0123456789abcdefghij"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["dockerflow.django"]
MIDDLEWARE = ["dockerflow.django.middleware.DockerflowMiddleware"]
ROOT_URLCONF = "refurls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["LOG_FILE"] + ".sqlite3"}}
SILENCED_SYSTEM_CHECKS = ["security.W002", "security.W003", "security.W004", "security.W008", "security.W012", "security.W016"]
LOGGING = {
    "version": 1,
    "formatters": {"json": {"()": "dockerflow.logging.JsonLogFormatter", "logger_name": "djangoref"}},
    "filters": {"request_id": {"()": "dockerflow.logging.RequestIdLogFilter"}},
    "handlers": {"file": {"class": "logging.FileHandler", "formatter": "json", "filters": ["request_id"], "filename": os.environ["LOG_FILE"]}},
    "loggers": {
        "request.summary": {"handlers": ["file"], "level": "DEBUG"},
        "dockerflow": {"handlers": ["file"], "level": "DEBUG"},
        "django.request": {"handlers": ["file"], "level": "ERROR"},
    },
}
`, "refurls.py": `from django.http import HttpResponse
from django.urls import path
urlpatterns = [path("app/hello", lambda request: HttpResponse("hello"))]
`}, []string{"-m", "django", "runserver", "--noreload"}},
	"fastapi": {map[string]string{"refapp.py": `import logging.config, os
from fastapi import FastAPI
from dockerflow.fastapi import router as dockerflow_router
from dockerflow.fastapi.middleware import MozlogRequestSummaryLogger, RequestIdMiddleware
logging.config.dictConfig({
    "version": 1,
    "formatters": {"json": {"()": "dockerflow.logging.JsonLogFormatter", "logger_name": "fastapiref"}},
    "filters": {"request_id": {"()": "dockerflow.logging.RequestIdLogFilter"}},
    "handlers": {"file": {"class": "logging.FileHandler", "formatter": "json", "filters": ["request_id"], "filename": os.environ["LOG_FILE"]}},
    "loggers": {"request.summary": {"handlers": ["file"], "level": "INFO", "propagate": False}, "dockerflow": {"handlers": ["file"], "level": "DEBUG"}},
})
app = FastAPI()
app.include_router(dockerflow_router)
app.add_middleware(MozlogRequestSummaryLogger, logger=logging.getLogger("request.summary"))
app.add_middleware(RequestIdMiddleware)
@app.get("/app/hello")
def hello():
    return "hello"
`}, []string{"-m", "uvicorn", "refapp:app", "--host", "127.0.0.1", "--no-access-log"}},
}

// deviations are the reference apps' true deviations from the contract
// as python-dockerflow itself describes it, which the default profile
// fails: Django's middleware answers the Dockerflow endpoints before it
// reads the request ID and starts the clock, so their summaries have
// "rid": null and no "t", and so has the line /__error__ logs.
var deviations = map[string][]string{
	"flask":   nil,
	"fastapi": nil,
	"django":  {ruleLogsSummary, ruleErrorEndpoint, ruleLogsRID},
}

// The checker against python-dockerflow's own reference apps, run for
// real: the default profile passes each but for its true deviations,
// named; the strict profile fails each on this project's recommendations.
func TestReferenceApps(t *testing.T) {
	python, src := os.Getenv("TEST_DOCKERFLOW_PYTHON"), os.Getenv("TEST_DOCKERFLOW_PYTHON_DOCKERFLOW")
	if python == "" || src == "" {
		t.Skip("TEST_DOCKERFLOW_PYTHON (a python3 with Django, Flask, FastAPI and uvicorn: Debian's python3-django, python3-flask, python3-fastapi, python3-uvicorn) and TEST_DOCKERFLOW_PYTHON_DOCKERFLOW (python-dockerflow's src folder) are unset; .ci/run sets them")
	}
	for _, name := range []string{"django", "flask", "fastapi"} {
		t.Run(name, func(t *testing.T) {
			base, logFile := startReference(t, python, src, name)
			for _, p := range []profile{profileDockerflow, profileStrict} {
				code, rep := checkReference(t, base, logFile, p)
				failed := failedRules(rep)
				switch p {
				case profileDockerflow:
					want := deviations[name]
					sort.Strings(want)
					if strings.Join(failed, " ") != strings.Join(want, " ") || code != map[bool]int{true: 1, false: 0}[len(want) > 0] {
						t.Errorf("default profile: exit %d, failed %v, want %v%s", code, failed, want, summarize(rep))
					}
				case profileStrict:
					if code != 1 || len(failed) <= len(deviations[name]) {
						t.Errorf("strict profile: exit %d, failed %v, want more than the deviations%s", code, failed, summarize(rep))
					}
				}
				t.Logf("%s, profile %s: exit %d, %d passed, %d warnings, %d failed: %v", name, p, code, rep.Counts[pass], rep.Counts[warn], rep.Counts[fail], failed)
			}
		})
	}
}

// startReference starts reference app name on a free port, its log in a
// file, and returns its base URL and the log's path.
func startReference(t *testing.T, python, src, name string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	app := referenceApps[name]
	for file, text := range app.files {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	version := `{"source":"https://github.com/mozilla-services/python-dockerflow","version":"2026.3.4","commit":"116f2e06695372271bd845849e5a59376580967d","build":"https://github.com/mozilla-services/python-dockerflow/actions/runs/1"}`
	if err := os.WriteFile(filepath.Join(dir, "version.json"), []byte(version), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	logFile := filepath.Join(dir, "service.log")
	args := app.args
	switch name {
	case "django":
		args = append(args, "127.0.0.1:"+port)
	case "fastapi":
		args = append(args, "--port", port)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONPATH="+src+string(os.PathListSeparator)+dir, "PORT="+port, "APP_DIR="+dir,
		"LOG_FILE="+logFile, "DJANGO_SETTINGS_MODULE=refsettings", "PYTHONDONTWRITEBYTECODE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("%s printed:\n%s", name, out.String())
		}
	})
	base := "http://127.0.0.1:" + port
	p := newProber(mustURL(t, base), time.Second)
	// Waiting for the app to answer stops when it exits (a module
	// missing): no minute lost.
	waitCtx, stopWaiting := context.WithCancel(context.Background())
	defer stopWaiting()
	go func() {
		select {
		case <-exited:
			stopWaiting()
		case <-waitCtx.Done():
		}
	}()
	if err := p.reachable(waitCtx, 60*time.Second); err != nil {
		select {
		case <-exited:
			err = fmt.Errorf("%s exited before it answered", python)
		default:
		}
		cancel()
		<-exited // its output is whole
		t.Fatalf("%s did not start: %v\n%s", name, err, out.String())
	}
	return base, logFile
}

// checkReference runs the checker on a reference app, with its log and
// its own route.
func checkReference(t *testing.T, base, logFile string, p profile) (int, report) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--format", "json", "--profile", string(p), "--logs", logFile, "--logs-wait", "3s",
		"--path", "/app/hello", base}, strings.NewReader(""), &out, &errOut)
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, report %q: %v\n%s", code, out.String(), err, errOut.String())
	}
	return code, rep
}

// failedRules are the rules that failed in rep, sorted.
func failedRules(rep report) []string {
	var out []string
	for r, v := range verdicts(rep) {
		if v == fail {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
