// Package web is what the example services serve besides their API: a
// status page at / and the static files it links, under /static/, as
// Dockerflow asks a service to serve its own static content.
//
// The files in assets/ are built into static/ by go generate
// (cmd/staticbuild): each under a name carrying its content hash, with
// brotli and gzip copies made at build time, and a manifest from logical
// to hashed names. static/ is checked in and embedded; TestStaticUpToDate
// fails when it no longer matches assets/.
//
// A hashed name never changes content, so its answers may be cached for a
// year (Cache-Control: public, max-age=31536000, immutable); a client
// saying Accept-Encoding: br or gzip gets the precompressed copy with
// Content-Encoding and Vary: Accept-Encoding; ETags and If-None-Match
// work as net/http's ServeContent makes them, on the page too.
package web

//go:generate go run ../../cmd/staticbuild -src assets -out static
