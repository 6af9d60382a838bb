package release

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"

	"github.com/dockerflow-go/dockerflow/tools/internal/repo"
)

// Change is one API change of a library module since a release, as
// apidiff classifies it.
type Change struct {
	Module     string // the module's folder, e.g. adapters/chi
	Message    string // apidiff's words, e.g. "Register: removed"
	Compatible bool
}

func (c Change) String() string { return c.Module + ": " + c.Message }

// APIChanges compares the exported API of every library module in the
// working tree at root with the same module at commit base. Only modules
// whose folder changed since base are loaded; a module new since base has
// no changes to report.
func APIChanges(ctx context.Context, root, base string) ([]Change, error) {
	mods, err := repo.LibraryModules(root)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, m := range mods {
		if _, err := git(ctx, root, "diff", "--quiet", base, "--", m); err != nil {
			changed = append(changed, m)
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	old, err := os.MkdirTemp("", "dockerflow-api-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(old)
	if err := extract(ctx, root, base, old); err != nil {
		return nil, err
	}
	var changes []Change
	for _, m := range changed {
		if _, err := os.Stat(filepath.Join(old, m, "go.mod")); errors.Is(err, os.ErrNotExist) {
			continue // new since base
		}
		before, err := loadModule(ctx, filepath.Join(old, m))
		if err != nil {
			return nil, fmt.Errorf("%s at %.12s: %w", m, base, err)
		}
		after, err := loadModule(ctx, filepath.Join(root, m))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m, err)
		}
		for _, c := range apidiff.ModuleChanges(before, after).Changes {
			changes = append(changes, Change{Module: m, Message: c.Message, Compatible: c.Compatible})
		}
	}
	return changes, nil
}

// Incompatible keeps the changes that break a user.
func Incompatible(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if !c.Compatible {
			out = append(out, c)
		}
	}
	return out
}

// extract writes the tree of commit rev into dir.
func extract(ctx context.Context, root, rev, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", rev)
	cmd.Dir = root
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	untarErr := untar(out, dir)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %w: %s", rev, err, strings.TrimSpace(stderr.String()))
	}
	return untarErr
}

func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(name, filepath.Clean(dir)+string(filepath.Separator)) {
			return fmt.Errorf("archive entry %q leaves the folder", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o777|0o600)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}

// loadModule type-checks the importable packages of the module at dir
// (not commands, not internal packages, not nested modules) on its own
// requirements (GOWORK=off).
func loadModule(ctx context.Context, dir string) (*apidiff.Module, error) {
	path, err := repo.ModulePath(dir)
	if err != nil {
		return nil, err
	}
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.NeedName | packages.NeedTypes,
		Dir:     dir,
		Env:     append(os.Environ(), "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, err
	}
	m := &apidiff.Module{Path: path}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return nil, fmt.Errorf("loading %s: %v", p.PkgPath, p.Errors[0])
		}
		if p.Name == "main" || isInternal(p.PkgPath) {
			continue
		}
		m.Packages = append(m.Packages, p.Types)
	}
	return m, nil
}

func isInternal(pkgPath string) bool {
	for _, el := range strings.Split(pkgPath, "/") {
		if el == "internal" {
			return true
		}
	}
	return false
}
