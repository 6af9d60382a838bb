package static_test

import (
	"fmt"
	"net/http/httptest"
	"testing/fstest"

	"github.com/dockerflow-go/dockerflow/static"
)

// A tree as the build writes it (dfstatic, or build.Build from go
// generate): each file under its hashed name, and the manifest mapping
// logical names to them. A service embeds it (//go:embed) and serves it.
func ExampleNew() {
	tree := fstest.MapFS{
		"manifest.json":    {Data: []byte(`{"app.css":"app.3f2a9c1e.css"}`)},
		"app.3f2a9c1e.css": {Data: []byte("body{margin:0}")},
	}
	assets, err := static.New(tree, "/static/")
	if err != nil {
		panic(err)
	}
	url, _ := assets.URL("app.css") // what a page links: {{static "app.css"}}
	fmt.Println(url)

	rec := httptest.NewRecorder()
	assets.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	fmt.Println(rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"), rec.Body)
	// Output:
	// /static/app.3f2a9c1e.css
	// 200 public, max-age=31536000, immutable "3f2a9c1e" body{margin:0}
}
