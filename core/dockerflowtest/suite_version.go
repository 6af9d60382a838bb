package dockerflowtest

// /__version__: the file, its absence, and every way it can be wrong.

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func testVersion(t *testing.T, nh NewHandler) {
	const compact = `{"source":"https://github.com/mozilla/x","version":"1.2.3","commit":"52ce614f","build":"https://ci/1","extra":{"k":[1,"<&>"]}}`
	const pretty = "{\n  \"source\": \"https://github.com/mozilla/x\",\n  \"version\": \"1.2.3\",\n  \"commit\": \"52ce614f\",\n" +
		"  \"build\": \"https://ci/1\",\n  \"extra\": {\"k\": [1, \"<&>\"]}\n}\n"

	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "version.json"), pretty)
		h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
		h.want(h.do("GET", "/__version__"), 200, compact, jsonHeaders(compact))
		h.want(h.do("GET", "/__version__/"), 200, compact, jsonHeaders(compact))
		h.want(h.do("HEAD", "/__version__"), 200, "", jsonHeaders(compact))
	})
	t.Run("explicit-path-wins", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "v.json"), `{"version":"code"}`)
		writeFile(t, filepath.Join(dir, "e.json"), `{"version":"env"}`)
		h := start(t, nh, dockerflow.Config{VersionFile: filepath.Join(dir, "v.json")},
			map[string]string{"DOCKERFLOW_VERSION_FILE": filepath.Join(dir, "e.json")})
		h.want(h.do("GET", "/__version__"), 200, `{"version":"code"}`, jsonHeaders(`{"version":"code"}`))
		h = start(t, nh, dockerflow.Config{}, map[string]string{"DOCKERFLOW_VERSION_FILE": filepath.Join(dir, "e.json")})
		h.want(h.do("GET", "/__version__"), 200, `{"version":"env"}`, jsonHeaders(`{"version":"env"}`))
	})
	t.Run("missing-then-written", func(t *testing.T) {
		dir := t.TempDir()
		h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
		const nf = "version.json not found"
		h.want(h.do("GET", "/__version__"), 404, nf, textHeaders(nf))
		h.want(h.do("HEAD", "/__version__"), 404, "", textHeaders(nf))
		writeFile(t, filepath.Join(dir, "version.json"), compact)
		h.want(h.do("GET", "/__version__"), 200, compact, jsonHeaders(compact))
		// Read once: a later change is not seen.
		writeFile(t, filepath.Join(dir, "version.json"), `{"version":"changed"}`)
		h.want(h.do("GET", "/__version__"), 200, compact, jsonHeaders(compact))
		if ev := h.log.Events(""); len(ev) != 1 || ev[0].Level != dockerflow.LevelWarning || !strings.Contains(ev[0].Msg, dir) {
			t.Errorf("a missing version.json logged %+v, want one warning naming where it was looked for", ev)
		}
	})
	big := `{"pad":"` + strings.Repeat("x", (1<<20)) + `"}`
	for _, tc := range []struct{ name, content, body string }{
		{name: "malformed", content: `{"version": "1.0",`, body: "version.json is not valid JSON"},
		{name: "truncated", content: `{"version": "1.0`, body: "version.json is not valid JSON"},
		{name: "empty", content: ``, body: "version.json is not valid JSON"},
		{name: "array", content: `["1.0"]`, body: "version.json is not a JSON object"},
		{name: "null", content: `null`, body: "version.json is not a JSON object"},
		{name: "string", content: `"1.0"`, body: "version.json is not a JSON object"},
		{name: "deep", content: strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000), body: "version.json is not valid JSON"},
		{name: "trailing-garbage", content: `{"version":"1"} x`, body: "version.json is not valid JSON"},
		{name: "oversized", content: big, body: "version.json is larger than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "version.json"), tc.content)
			h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
			for i := 0; i < 3; i++ {
				h.want(h.do("GET", "/__version__"), 500, tc.body, textHeaders(tc.body))
			}
			ev := h.log.Events(mozlog.TypeVersion)
			if len(ev) != 1 {
				t.Fatalf("logged %d version events over 3 requests, want 1", len(ev))
			}
			if ev[0].Level != dockerflow.LevelError || !strings.Contains(ev[0].Msg, tc.body) || len(ev[0].Msg) > 2000 {
				t.Errorf("event = %v %q, want error level naming %q", ev[0].Level, ev[0].Msg, tc.body)
			}
		})
	}
	t.Run("not-a-file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "version.json"), 0o755); err != nil {
			t.Fatal(err)
		}
		h := start(t, nh, dockerflow.Config{}, map[string]string{"APP_DIR": dir})
		const body = "version.json is not a regular file"
		h.want(h.do("GET", "/__version__"), 500, body, textHeaders(body))
		if ev := h.log.Events(mozlog.TypeVersion); len(ev) != 1 || !strings.Contains(ev[0].Msg, "its mode is d") {
			t.Errorf("events %+v, want one naming the cause", ev)
		}
	})
	t.Run("loader", func(t *testing.T) {
		var calls atomic.Int64
		h := start(t, nh, dockerflow.Config{VersionLoader: func(context.Context) ([]byte, error) {
			if calls.Add(1) == 1 {
				return nil, fs.ErrNotExist
			}
			return []byte(` {"version": "from-loader"} `), nil
		}}, nil)
		const nf = "version.json not found"
		h.want(h.do("GET", "/__version__"), 404, nf, textHeaders(nf))
		const body = `{"version":"from-loader"}`
		h.want(h.do("GET", "/__version__"), 200, body, jsonHeaders(body))
		h.want(h.do("GET", "/__version__"), 200, body, jsonHeaders(body))
		if n := calls.Load(); n != 2 {
			t.Errorf("loader called %d times, want 2 (not found, then cached)", n)
		}
	})
	t.Run("build-info-fallback", func(t *testing.T) {
		h := start(t, nh, dockerflow.Config{VersionFromBuildInfo: true}, nil)
		rec := h.do("GET", "/__version__")
		if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), `{"source":`) || !strings.Contains(rec.Body.String(), `"commit":`) {
			t.Errorf("build-info version = %d %s, want 200 with source and commit", rec.Code, rec.Body)
		}
	})
}
