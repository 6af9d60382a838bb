// Package mozlogzap writes mozlog, the JSON log lines of Dockerflow
// services, through go.uber.org/zap: a service keeps its zap logger, and
// its lines, the request summaries and dockerflow's own events share one
// stream and one format.
//
//	opts, err := mozlog.OptionsFromEnv(nil) // DOCKERFLOW_LOG_FORMAT, DOCKERFLOW_LOG_CLOUD_SEVERITY
//	opts.Logger = "myservice"
//	log := zap.New(mozlogzap.NewCore(os.Stdout, &opts, zapcore.InfoLevel))
//	svc, err := dockerflow.New(dockerflow.Config{Logger: mozlogzap.NewLogger(log)})
//
// [NewCore] is a zapcore.Core: every zap field becomes a member of the
// line's Fields, by the rules every mozlog front end of this project
// follows (package core/mozlog): a field named mozlog.TypeKey ("Type")
// sets the entry's Type; a namespace's fields, and an object's, become
// dotted keys or, deeper, JSON text, so that Fields stays shallow; errors
// are written as their text, values JSON cannot hold as their %v text; a
// line is never split, and never longer than 16 KiB (its longest values
// are cut). zap's logger name, caller and stack, when set, are the fields
// "logger", "caller" and "stacktrace".
//
// [NewLogger] makes a *zap.Logger the dockerflow.Logger of a Service: the
// summaries are written whatever the logger's level (as python-dockerflow
// keeps request.summary a logger of its own), dockerflow's events at
// their level. [Context] carries a request's ID and trace ID to a line:
//
//	log.Info("charging card", mozlogzap.Context(r.Context())) // Fields: {"msg":"charging card","rid":"…"}
//
// Levels: debug 7, info 6, warn 4, error 3, dpanic and fatal 2 (critical),
// panic 1 (alert), as syslog numbers them in mozlog's Severity.
package mozlogzap
