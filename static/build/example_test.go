package build_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dockerflow-go/dockerflow/static/build"
)

// Build writes the tree package static serves from a folder of sources;
// Check (make test, CI) says when the tree is stale.
func ExampleBuild() {
	src, _ := os.MkdirTemp("", "assets")
	defer os.RemoveAll(src)
	out := filepath.Join(src+"-built", "static")
	defer os.RemoveAll(src + "-built")
	_ = os.WriteFile(filepath.Join(src, "app.css"), []byte("body{background:url(logo.svg)}"), 0o644)
	_ = os.WriteFile(filepath.Join(src, "logo.svg"), []byte("<svg/>"), 0o644)

	if err := build.Build(src, out); err != nil {
		panic(err)
	}
	manifest, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	fmt.Printf("%s", manifest)
	fmt.Println(build.Check(src, out))

	_ = os.WriteFile(filepath.Join(src, "logo.svg"), []byte("<svg></svg>"), 0o644)
	fmt.Println(build.Check(src, out) != nil)
	// Output:
	// {
	//   "app.css": "app.3c2e7511fdc5.css",
	//   "logo.svg": "logo.d4dc56669143.svg"
	// }
	// <nil>
	// true
}
