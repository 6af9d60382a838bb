// Package slogformat writes mozlog from log/slog: [New] returns a
// *slog.Logger, [NewHandler] its slog.Handler. It does not import logrus,
// so a service that logs through log/slog only does not link it (the
// logrus Formatter is package logformat's).
//
//	logger := slogformat.New(os.Stdout, &slogformat.Options{Logger: "myservice"})
//	svc, err := dockerflow.New(dockerflow.Config{Logger: dockerflow.SlogLogger(logger)})
//
// The lines follow package logformat's rules: syslog severities, Fields
// with the message as "msg", the request ID of the context as "rid", an
// attribute mozlog.TypeKey for the entry's Type ("app.log" otherwise),
// and a line never lost, split or half written.
//
// slog.SetDefault(logger) also sends the standard log package's output
// through it, as mozlog lines: the one call that puts log.Printf in the
// same stream.
package slogformat
