package release

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"github.com/dockerflow-go/dockerflow/tools/internal/repo"
)

// Options say what to release and where.
type Options struct {
	Root    string    // a clean git work tree of the repository
	Version string    // vX.Y.Z
	Date    time.Time // the changelog entry's date; zero: today (UTC)
	Log     io.Writer // progress; nil: discarded
}

// Result is what a release made.
type Result struct {
	Commit string   // the release commit
	Tags   []string // one per library module: core/v0.1.0, …
}

// Run cuts the release, or refuses with an error saying why and changes
// nothing.
func Run(ctx context.Context, opts Options) (_ Result, err error) {
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	v, root := opts.Version, opts.Root
	if !semver.IsValid(v) || semver.Canonical(v) != v {
		return Result{}, fmt.Errorf("VERSION=%q is not a semantic version of the form vMAJOR.MINOR.PATCH (v0.1.0)", v)
	}
	if dirty, err := git(ctx, root, "status", "--porcelain"); err != nil {
		return Result{}, err
	} else if dirty != "" {
		return Result{}, fmt.Errorf("the work tree has uncommitted changes; release from a clean clone:\n%s", firstLines(dirty, 10))
	}
	last, err := LastRelease(ctx, root)
	if err != nil {
		return Result{}, err
	}
	if last.Version != "" && semver.Compare(v, last.Version) <= 0 {
		return Result{}, fmt.Errorf("%s is not above the last release, %s (%s)", v, last.Version, RecordFile)
	}
	mods, err := repo.LibraryModules(root)
	if err != nil {
		return Result{}, err
	}
	tags := make([]string, len(mods))
	for i, m := range mods {
		tags[i] = m + "/" + v
		if have, _ := git(ctx, root, "tag", "--list", tags[i]); have != "" {
			return Result{}, fmt.Errorf("tag %s exists already", tags[i])
		}
	}

	var breaking []Change
	if last.Commit != "" {
		fmt.Fprintf(logw, "comparing the API with %s (%.12s)\n", last.Version, last.Commit)
		changes, err := APIChanges(ctx, root, last.Commit)
		if err != nil {
			return Result{}, err
		}
		breaking = Incompatible(changes)
		if err := bumpAllows(last.Version, v, breaking); err != nil {
			return Result{}, err
		}
	}

	logPath := filepath.Join(root, ChangelogFile)
	text, err := os.ReadFile(logPath)
	if err != nil {
		return Result{}, fmt.Errorf("a release needs %s: %w", ChangelogFile, err)
	}
	date := opts.Date
	if date.IsZero() {
		date = time.Now()
	}
	newText, entry, err := dateEntry(string(text), v, date.UTC().Format("2006-01-02"))
	if err != nil {
		return Result{}, err
	}
	if len(breaking) > 0 && !notesBreaking(entry) {
		return Result{}, fmt.Errorf("%s's entry for %s must say what broke (a line with \"Breaking:\"), since %s:\n%s",
			ChangelogFile, v, last.Version, listChanges(breaking))
	}

	// From here on a failure puts the tree back as it was.
	head, err := git(ctx, root, "rev-parse", "HEAD")
	if err != nil {
		return Result{}, err
	}
	var made []string
	defer func() {
		if err != nil {
			ctx := context.WithoutCancel(ctx)
			for _, tag := range made {
				git(ctx, root, "tag", "--delete", tag)
			}
			git(ctx, root, "reset", "--quiet", "--hard", head)
		}
	}()
	files, err := setSiblingRequirements(root, v)
	if err != nil {
		return Result{}, err
	}
	if err := os.WriteFile(logPath, []byte(newText), 0o644); err != nil {
		return Result{}, err
	}
	if err := writeRecord(root, v); err != nil {
		return Result{}, err
	}
	files = append(files, ChangelogFile, RecordFile)
	if ok, err := rewriteReadme(root, v, mods); err != nil {
		return Result{}, err
	} else if ok {
		files = append(files, ReadmeFile)
	}
	if _, err := git(ctx, root, append([]string{"add", "--"}, files...)...); err != nil {
		return Result{}, err
	}
	msg := "Release " + v + "\n\nEvery library module requires its siblings at " + v + "; tags:\n" + strings.Join(tags, "\n") + "\n"
	if _, err := git(ctx, root, "commit", "--quiet", "-m", msg); err != nil {
		return Result{}, err
	}
	commit, err := git(ctx, root, "rev-parse", "HEAD")
	if err != nil {
		return Result{}, err
	}
	for i, tag := range tags {
		if _, err := git(ctx, root, "tag", "-a", "-m", repo.Prefix+"/"+mods[i]+" "+v, tag, commit); err != nil {
			return Result{}, err
		}
		made = append(made, tag)
	}
	fmt.Fprintf(logw, "released %s at %.12s:\n  %s\npublish it: git push origin HEAD %s\n", v, commit, strings.Join(tags, "\n  "), strings.Join(tags, " "))
	return Result{Commit: commit, Tags: tags}, nil
}

// bumpAllows says whether going from last to next may carry the
// incompatible changes: from v1 only in a new major version (a new import
// path, /vN); in v0 in a new minor version.
func bumpAllows(last, next string, breaking []Change) error {
	if len(breaking) == 0 {
		return nil
	}
	if semver.Major(last) == "v0" {
		if semver.MajorMinor(next) != semver.MajorMinor(last) {
			return nil
		}
		return fmt.Errorf("%d incompatible API changes since %s need at least a new minor version (%s.0, with a \"Breaking:\" line in %s), not %s:\n%s",
			len(breaking), last, nextMinor(last), ChangelogFile, next, listChanges(breaking))
	}
	if semver.Major(next) != semver.Major(last) {
		return nil
	}
	return fmt.Errorf("%d incompatible API changes since %s need a new major version (and a /vN module path), not %s:\n%s",
		len(breaking), last, next, listChanges(breaking))
}

func nextMinor(v string) string {
	var major, minor int
	fmt.Sscanf(semver.MajorMinor(v), "v%d.%d", &major, &minor)
	return fmt.Sprintf("v%d.%d", major, minor+1)
}

func listChanges(cs []Change) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("  " + c.String() + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("… and %d more", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}
