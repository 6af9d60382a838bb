// Package staticbuild turns a tree of static files into what a service
// embeds: each file under a name carrying its content hash
// (app.css becomes app.1f2e3d4c5b6a.css), brotli and gzip copies made
// once at build time (app.1f2e3d4c5b6a.css.br, .gz) where they are
// smaller, and manifest.json mapping each logical name to its hashed
// one, as Django's ManifestStaticFilesStorage keeps.
//
// cmd/staticbuild runs Build (go generate in platform/web); Check is
// what a test runs to catch a checked-in tree that no longer matches its
// sources.
package staticbuild
