// Package mozlog writes Mozilla's mozlog format, the JSON log lines of
// Dockerflow services: one object per line,
//
//	{"Timestamp":<ns>,"Type":"request.summary","Logger":"myservice","Hostname":"web-1",
//	 "EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"curl/8.0","code":200,…}}
//
// One encoder and one set of [Options] stand behind every front end:
// dockerflow.MozlogLogger (the default, straight to stdout), the log/slog
// [Handler] of this package ([NewHandler]: slog needs no module beyond
// core), and the logformat module's logrus Formatter. All of them write
// the same lines by the same rules, add the request ID and trace ID of a
// request's context the same way, and take DOCKERFLOW_LOG_FORMAT=text and
// DOCKERFLOW_LOG_CLOUD_SEVERITY=true from dockerflow.New.
//
// For logger authors: [Options.AppendEntry] encodes one entry, [Check]
// tells whether a line is valid mozlog. The package uses the standard
// library only.
package mozlog
