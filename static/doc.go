// Package static serves a service's static files as python-dockerflow's
// Django page asks (Whitenoise for Go): content-hashed names cached for a
// year, precompressed copies chosen by Accept-Encoding, strong ETags, no
// sniffing.
//
// A build step writes the tree, from a folder of sources:
//
//	//go:generate go run github.com/dockerflow-go/dockerflow/static/cmd/dfstatic -src assets -out static
//
// It names each file by the first 12 hex digits of its SHA-256
// (app.css becomes app.3f2a9c1b7d4e.css), rewrites the references between
// CSS files (url(...), @import) to the hashed names, as Django's
// ManifestStaticFilesStorage does, writes brotli (.br), gzip (.gz) and
// zstd (.zst) copies where they are smaller, and manifest.json, which maps
// logical names to hashed ones. The same input gives the same bytes.
//
// The handler serves that tree from any fs.FS (an embed.FS, os.DirFS):
//
//	//go:embed static
//	var files embed.FS
//
//	sub, _ := fs.Sub(files, "static")
//	assets, err := static.New(sub, "/static/")
//	mux.Handle("GET /static/", assets)          // net/http; chi: r.Handle("/static/*", assets)
//	href, err := assets.URL("app.css")           // "/static/app.3f2a9c1b7d4e.css", for templates
//
// Hashed names are answered with Cache-Control: public, max-age=31536000,
// immutable; logical names (favicon.ico, robots.txt) with a short cache
// and an ETag. Anything else is a 404 marked no-store, the path never
// echoed. NewDev serves a folder of sources as they are, with no-cache, so
// that editing a file needs no rebuild.
//
// Mount it like any http.Handler on every adapter (echo.WrapHandler,
// gin.WrapH, a gorilla PathPrefix route); the adapters' middleware logs a
// request.summary for each static request as for any other.
package static
