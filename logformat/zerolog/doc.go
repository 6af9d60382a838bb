// Package mozlogzerolog writes mozlog, the JSON log lines of Dockerflow
// services, through github.com/rs/zerolog: a service keeps its zerolog
// logger, and its lines, the request summaries and dockerflow's own
// events share one stream and one format.
//
//	opts, err := mozlog.OptionsFromEnv(nil) // DOCKERFLOW_LOG_FORMAT, DOCKERFLOW_LOG_CLOUD_SEVERITY
//	opts.Logger = "myservice"
//	log := mozlogzerolog.New(os.Stdout, &opts)
//	svc, err := dockerflow.New(dockerflow.Config{Logger: mozlogzerolog.NewLogger(log)})
//
// [New] returns a zerolog.Logger whose writer, a [Writer], turns each
// event zerolog encodes into a mozlog line, by the rules every mozlog
// front end of this project follows (package core/mozlog): zerolog's
// message is "msg", its level mozlog's Severity, and its other fields the
// line's Fields, a field named mozlog.TypeKey ("Type") setting the entry's
// Type; an object nested in an object becomes its JSON text, so that
// Fields stays shallow; a line is never split, and never longer than 16
// KiB (its longest values are cut). zerolog's "time" field is left out:
// the line's Timestamp says when. An event given a request's context
// (Ctx) carries its request ID and trace ID:
//
//	log.Info().Ctx(r.Context()).Msg("charging card") // Fields: {"msg":"charging card","rid":"…"}
//
// [NewLogger] makes the logger the dockerflow.Logger of a Service: the
// summaries are written whatever the logger's level, dockerflow's events
// at their level.
//
// Levels: trace and debug 7, info 6, warn 4, error 3, fatal 2
// (critical), panic 1 (alert), as syslog numbers them in mozlog's
// Severity; an event without a level (Log) is info. zerolog built with
// the binary_log tag writes CBOR, not JSON: its events are written as
// their text.
package mozlogzerolog
