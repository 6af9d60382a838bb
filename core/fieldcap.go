package dockerflow

import "github.com/dockerflow-go/dockerflow/core/internal/encode"

// Strings a summary or a report holds are capped, in bytes of their JSON
// encoding (a control byte or invalid UTF-8 takes 6), so that a summary
// line stays under the 16 KiB at which Docker and the CRI split lines,
// whatever the request holds, and a check's message stays readable. A
// longer string is cut on a rune boundary and ends with "…". The caps of
// the summary's fields are in summaryFields.

// capField returns s cut so that its JSON encoding takes at most max
// bytes, marker included.
func capField(s string, max int) string { return encode.Cap(s, max) }

// jsonSize returns the bytes of s's JSON encoding, quotes excluded.
func jsonSize(s string) int { return encode.Size(s) }
