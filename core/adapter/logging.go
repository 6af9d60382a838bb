package adapter

// Types of the entries dockerflow logs.
const (
	TypeSummary   = "request.summary"
	TypeHeartbeat = "dockerflow.heartbeat"
	TypeVersion   = "dockerflow.version"
	TypeError     = "dockerflow.error"
	TypeConfig    = "dockerflow.config"
)
