// Package mozlog writes Mozilla's mozlog format, the JSON log lines of
// Dockerflow services: one object per line,
//
//	{"Timestamp":<ns>,"Type":"request.summary","Logger":"myservice","Hostname":"web-1",
//	 "EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{"agent":"curl/8.0","code":200,…}}
//
// It is the encoder behind dockerflow.MozlogLogger and the logformat
// module's logrus formatter and slog handler, so that all of them write
// the same lines by the same rules. AppendLine writes a line; Check tells
// whether a line is valid mozlog. It uses the standard library only.
package mozlog
