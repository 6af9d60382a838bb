// Package redact removes secrets from text: URL user information, the
// values of sensitive keys in every form they are written (key=value,
// JSON, headers, command-line flags), JSON Web Tokens, and the same
// percent-encoded, at every level of encoding. It is package dockerflow's
// one redaction step: check messages, failure texts, start-up errors,
// query strings and every string a summary takes from a request go
// through it.
//
// Its edge is narrow: Text (any text), Request (a string from a request,
// with a fast path for one with nothing to redact), Query (a raw query
// string, by parameter name), URLPassword and ValueSecrets (a
// configuration value), and Keys, the sensitive key names (Default, or
// NewKeys with extra ones). Every function takes time linear in its
// input, whatever the input holds.
package redact
