package redact

import (
	"bytes"
	"strings"
	"testing"
)

// secretFree is check-message-like text with separators but nothing to
// redact: the common case.
var secretFree = strings.Repeat("dial tcp 10.0.0.7:5432: connect: connection refused; retrying host=db-1 port=5432 attempt 3 of 5. ", 60)

// BenchmarkRedact measures Text (dockerflow.Redact) on secret-free text of 5 KB against the
// floor of one lower-casing pass over the same bytes, and on text with
// secrets.
func BenchmarkRedact(b *testing.B) {
	text := secretFree[:5000]
	withSecrets := strings.Repeat(`user=app password=s3cret host=db url=postgres://app:pw@db/x {"token":"abc"} `, 80)[:5000]
	b.Run("floor-lowercase-5KB", func(b *testing.B) {
		src := []byte(text)
		b.SetBytes(int64(len(src)))
		for i := 0; i < b.N; i++ {
			_ = bytes.ToLower(src)
		}
	})
	b.Run("secret-free-5KB", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			_ = Text(text, Default, nil)
		}
	})
	b.Run("secret-free-200B", func(b *testing.B) {
		b.SetBytes(200)
		for i := 0; i < b.N; i++ {
			_ = Text(text[:200], Default, nil)
		}
	})
	b.Run("with-secrets-5KB", func(b *testing.B) {
		b.SetBytes(int64(len(withSecrets)))
		for i := 0; i < b.N; i++ {
			_ = Text(withSecrets, Default, nil)
		}
	})
}
