// Package tools holds the repository's own development commands; it is
// not part of the library.
package tools
