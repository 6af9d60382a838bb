// Package logformat writes logs in Mozilla's mozlog format, the JSON
// Dockerflow services log to stdout: one object per line,
//
//	{"Timestamp":1795514400123456789,"Type":"request.summary","Logger":"myservice",
//	 "Hostname":"web-1","EnvVersion":"2.0","Severity":6,"Pid":7,"Fields":{…}}
//
// # logrus
//
// [Formatter] is a logrus.Formatter; [New] sets up a *logrus.Logger with
// it in one call, and [NewLogger] makes that logger the dockerflow.Logger
// of a Service, so request.summary entries and dockerflow's own events go
// through it:
//
//	log := logformat.New(os.Stdout, &logformat.Formatter{Logger: "myservice"})
//	svc, err := dockerflow.New(dockerflow.Config{Logger: logformat.NewLogger(log)})
//
// The environment's log settings (DOCKERFLOW_LOG_FORMAT=text,
// DOCKERFLOW_LOG_CLOUD_SEVERITY=true) belong to the Formatter, which is
// mozlog.Options under its own name:
//
//	opts, err := mozlog.OptionsFromEnv(nil)
//	opts.Logger = "myservice"
//	f := logformat.Formatter(opts)
//	log := logformat.New(os.Stdout, &f)
//
// dockerflow.New never changes the logger it is given; it fails, naming
// the variables, when they ask for what the logger does not write.
//
// An entry logged with a request's context carries its request ID:
//
//	log.WithContext(r.Context()).Info("charging card") // Fields: {"msg":"charging card","rid":"…"}
//
// # log/slog
//
// log/slog needs no module beyond core: mozlog.NewHandler (package
// core/mozlog) writes the same lines, by the same encoder, from the same
// mozlog.Options:
//
//	logger := slog.New(mozlog.NewHandler(os.Stdout, &mozlog.Options{Logger: "myservice"}))
//	svc, err := dockerflow.New(dockerflow.Config{Logger: dockerflow.SlogLogger(logger)})
//
// # Rules
//
// Severity is syslog's: panic 1, fatal (and dockerflow's critical) 2,
// error 3, warn 4, info 6, debug and trace 7. Fields holds the entry's
// fields and its message as "msg" (left out only when empty; a message
// that is a JSON object is kept, and its keys join the fields). An entry's Type is its
// mozlog.TypeKey field, else
// the Formatter's Type ("app.log"). error values are written as their
// text, values JSON cannot hold (channels, functions, NaN, cycles) as
// their %v text, objects within objects as JSON text, invalid UTF-8 as
// U+FFFD: a line is never lost, split or half written.
//
// Nothing in this package changes logrus's standard logger or slog's
// default: it acts only where it is configured.
package logformat
