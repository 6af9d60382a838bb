package dockerflow

import "github.com/dockerflow-go/dockerflow/core/internal/redact"

// Redact returns text with secrets replaced by "xxxxx":
//   - the password of a URL's user information (postgres://user:pw@host,
//     redis://:pw@host, even when the password holds "/" or "@"), and of
//     a MySQL DSN (user:pw@tcp(host:3306)/db);
//   - the value of a sensitive key in key=value, key: value and JSON
//     ("key": "value") forms: password=, pwd=, token:, "secret": and the
//     like (see Config.SensitiveKeys for the list), quoted or not, and
//     "Authorization: Bearer …" whole;
//   - each of the given secrets (of 3 bytes or more) wherever it appears.
//
// Every check message goes through it before it is shown or logged, so
// that a driver error quoting a DSN leaks nothing; checks can pass the
// secrets they know (a configured password) to catch the rest. Text with
// nothing to redact costs one pass over its bytes and no allocation.
func Redact(text string, secrets ...string) string {
	return redact.Text(text, redact.Default, secrets)
}
