package release

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CheckAPI is make api-check's half about releases: it lists the
// incompatible API changes since the last release, and fails while the
// changelog's Unreleased entry does not say what broke ("Breaking:"), so
// a break is seen in review and not first by the release.
func CheckAPI(ctx context.Context, root string, w io.Writer) error {
	last, err := LastRelease(ctx, root)
	if err != nil {
		return err
	}
	if last.Commit == "" {
		return nil // nothing released yet
	}
	changes, err := APIChanges(ctx, root, last.Commit)
	if err != nil {
		return err
	}
	breaking := Incompatible(changes)
	if len(breaking) == 0 {
		return nil
	}
	text, err := os.ReadFile(filepath.Join(root, ChangelogFile))
	if err != nil {
		return err
	}
	body, _ := section(string(text), unreleased)
	if !notesBreaking(body) {
		return fmt.Errorf("%d incompatible API changes since %s; say what broke in %s under \"## [%s]\" (a line with \"Breaking:\"), and release them as %s.0 or later:\n%s",
			len(breaking), last.Version, ChangelogFile, unreleased, nextMinor(last.Version), listChanges(breaking))
	}
	fmt.Fprintf(w, "%d incompatible API changes since %s, noted in %s; the next release is %s.0 or later\n",
		len(breaking), last.Version, ChangelogFile, nextMinor(last.Version))
	return nil
}
