// Package modproxy writes a file-based Go module proxy (GOPROXY=file://…)
// serving module versions straight from a git repository's commits, as a
// real proxy would serve them once the tags are pushed: the zip made by
// golang.org/x/mod/zip from the commit, its go.mod, .info and the list.
// A test can then be a consumer outside the repository.
package modproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// Version is one module version to serve.
type Version struct {
	Path     string // module path
	Version  string // vX.Y.Z
	Subdir   string // the module's folder in the repository, "" at the root
	Revision string // the commit or tag to take it from
}

// Write adds each version to the proxy at dir, from the repository at
// repoRoot.
func Write(ctx context.Context, dir, repoRoot string, versions []Version) error {
	for _, v := range versions {
		if err := write(ctx, dir, repoRoot, v); err != nil {
			return fmt.Errorf("%s@%s: %w", v.Path, v.Version, err)
		}
	}
	return nil
}

func write(ctx context.Context, dir, repoRoot string, v Version) error {
	escPath, err := module.EscapePath(v.Path)
	if err != nil {
		return err
	}
	escVersion, err := module.EscapeVersion(v.Version)
	if err != nil {
		return err
	}
	vdir := filepath.Join(dir, filepath.FromSlash(escPath), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(vdir, escVersion)

	gomod, err := gitOut(ctx, repoRoot, "show", v.Revision+":"+path.Join(v.Subdir, "go.mod"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", gomod, 0o644); err != nil {
		return err
	}
	when, err := gitOut(ctx, repoRoot, "log", "-n", "1", "--format=%cI", v.Revision)
	if err != nil {
		return err
	}
	info, _ := json.Marshal(map[string]string{"Version": v.Version, "Time": strings.TrimSpace(string(when))})
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}

	var zipped bytes.Buffer
	if err := zip.CreateFromVCS(&zipped, module.Version{Path: v.Path, Version: v.Version}, repoRoot, v.Revision, v.Subdir); err != nil {
		return err
	}
	if err := os.WriteFile(base+".zip", zipped.Bytes(), 0o644); err != nil {
		return err
	}

	list, err := os.OpenFile(filepath.Join(vdir, "list"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(list, v.Version)
	if cerr := list.Close(); err == nil {
		err = cerr
	}
	return err
}

func gitOut(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
