// Package release cuts a release of the library: it checks that the tree
// is clean, that the version is semver and above the last release, and
// that the API changed no more than the version says (as
// golang.org/x/exp/apidiff classifies changes); then it sets every sibling
// requirement to the version, records the release in api/release.txt,
// dates the CHANGELOG entry, sets the README's install lines to the
// version (dropping their "next release" notes), commits, and tags every library module in
// Go's multi-module form (core/v0.1.0, adapters/chi/v0.1.0, …).
//
// The same API comparison backs make api-check, so an incompatible change
// shows in review long before a release refuses it.
package release
