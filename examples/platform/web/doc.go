// Package web is what the example services serve besides their API: a
// status page at / and the static files it links, under /static/, as
// Dockerflow asks a service to serve its own static content, through the
// static module.
//
// The files in assets/ are built into static/ by go generate (the static
// module's dfstatic command): each under a name carrying its content
// hash, with brotli, zstd and gzip copies made at build time, and a
// manifest from logical to hashed names. static/ is checked in and
// embedded; TestStaticUpToDate fails when it no longer matches assets/.
package web

//go:generate go run github.com/dockerflow-go/dockerflow/static/cmd/dfstatic -src assets -out static
