package dockerflow

import "strconv"

// The gRPC status codes dockerflow itself answers or logs with.
const (
	codeInternal    = 13
	codeUnavailable = 14
)

// rpcStatusNames are the names of gRPC's status codes, as its
// specification writes them (doc/statuscodes.md), by number: the
// summary's status of an RPC.
var rpcStatusNames = [...]string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
	"PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	"UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

// rpcStatus is the name of gRPC status code, "CODE_<n>" for a number
// the specification does not name.
func rpcStatus(code int) string {
	if code >= 0 && code < len(rpcStatusNames) {
		return rpcStatusNames[code]
	}
	return "CODE_" + strconv.Itoa(code)
}
