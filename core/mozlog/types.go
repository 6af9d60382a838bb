package mozlog

// TypeKey is the field (logrus) or attribute (log/slog) that sets an
// entry's Type, the kind of entry it is, rather than joining its fields:
//
//	log.WithField(mozlog.TypeKey, "myservice.audit").Info("signed in")
//	logger.Info("signed in", mozlog.TypeKey, "myservice.audit")
const TypeKey = "Type"

// The Types of the entries dockerflow logs, declared once: the request
// summaries, and its own events (check messages, the version object, the
// error endpoint, its configuration, its lifecycle, an observer that
// failed).
const (
	TypeSummary   = "request.summary"
	TypeHeartbeat = "dockerflow.heartbeat"
	TypeVersion   = "dockerflow.version"
	TypeError     = "dockerflow.error"
	TypeConfig    = "dockerflow.config"
	TypeLifecycle = "dockerflow.lifecycle"
	TypeObserver  = "dockerflow.observer"
)
