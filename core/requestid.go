package dockerflow

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	mrand "math/rand/v2"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
	"github.com/dockerflow-go/dockerflow/core/internal/reqid"
)

// defaultRequestIDHeader is the header a request ID is read from and
// echoed in, unless configured otherwise.
const defaultRequestIDHeader = "X-Request-Id"

// maxRequestIDLength is the longest request ID taken from a request; a
// longer one is replaced by a new ID.
const maxRequestIDLength = 128

// RequestID returns the request ID stored in ctx by the request middleware
// (or by WithRequestID), or "" if there is none.
func RequestID(ctx context.Context) string {
	rid, _ := reqid.From(ctx)
	return rid
}

// WithRequestID returns a context carrying id as its request ID, for work
// done outside a request (a job, a consumer) that should log one.
func WithRequestID(ctx context.Context, id string) context.Context {
	return reqid.With(ctx, &reqid.IDs{RID: id})
}

// SetUserID records the user ID that the request's summary logs as uid.
// Handlers call it with their request's context once they know who is
// calling. It reports false when ctx is not a request's context tracked by
// the middleware.
func SetUserID(ctx context.Context, uid string) bool {
	t, ok := ctx.Value(trackerKey{}).(*Tracker)
	if !ok {
		return false
	}
	t.mu.Lock()
	t.uid = uid
	t.uidSet.Store(true)
	t.mu.Unlock()
	return true
}

// SetRoute records the route pattern that matched the request, logged as
// the summary's route, for routers that have no adapter (httprouter,
// bunrouter, a home-grown mux): a handler or middleware calls it with its
// request's context, in the router's own syntax ("/users/:id"). It wins
// over the pattern an adapter finds, but not over a Dockerflow
// endpoint's path. A route set early survives a request cut short by
// Close. It reports false when ctx is not a request's context tracked by
// the middleware.
func SetRoute(ctx context.Context, pattern string) bool {
	t, ok := ctx.Value(trackerKey{}).(*Tracker)
	if !ok {
		return false
	}
	t.setRoute(pattern, routeByApplication)
	return true
}

// validRequestID reports whether id may be used as given: 1 to 128 bytes
// of printable ASCII (space to tilde).
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// keptRequestID reports whether id, as a request sent it, is its request
// ID: valid, and with nothing redaction would remove (X-Request-ID:
// token=…). Otherwise it is replaced, so that the ID echoed and the ID
// logged stay one.
func (s *Service) keptRequestID(id string) bool {
	return validRequestID(id) && redact.Request(id, s.keys) == id
}

// newRequestID returns a new random (version 4) UUID in its 36-character
// text form. Its randomness is math/rand/v2's, which draws from the
// runtime's ChaCha8 generator, seeded from the operating system: as
// unpredictable as crypto/rand for an ID, without a system call per
// request.
func newRequestID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], mrand.Uint64())
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
