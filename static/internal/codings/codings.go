// Package codings names the precompressed copies a built tree holds, for
// the handler (which reads them) and the build (which writes them)
// alike, without linking a compressor into the handler.
package codings

// Coding is one precompressed copy: its Content-Encoding and its suffix.
type Coding struct{ Name, Suffix string }

// All are the copies, smallest first at equal quality: the order a client
// accepting several at the same q gets them in.
var All = []Coding{{"br", ".br"}, {"zstd", ".zst"}, {"gzip", ".gz"}}

// ManifestName is the file, at the root of a built tree, that maps
// logical names to hashed ones.
const ManifestName = "manifest.json"
