package dockerflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Defaults of a zero Config.
const (
	DefaultPort                      = 8000
	DefaultCheckTimeout              = 800 * time.Millisecond
	DefaultHeartbeatFailedStatusCode = http.StatusInternalServerError
	DefaultAppDir                    = "/app"
)

// Config configures a Service. The zero value works: every field left at
// its zero value is taken from the environment variable named in its
// comment, or else from its default. A value set in code wins over the
// environment. (A bool set to false in code counts as unset.)
type Config struct {
	// VersionFile is the path of version.json. Env DOCKERFLOW_VERSION_FILE;
	// else $APP_DIR/version.json; else /app/version.json.
	VersionFile string
	// VersionLoader, if set, replaces the file.
	VersionLoader VersionLoader
	// VersionFromBuildInfo serves a version object built from the binary's
	// build information (module version, VCS revision) while there is no
	// version.json. Env DOCKERFLOW_VERSION_FROM_BUILD_INFO.
	VersionFromBuildInfo bool

	// CheckTimeout bounds each check that sets no Timeout of its own.
	// Env DOCKERFLOW_CHECK_TIMEOUT (a Go duration, "800ms"); default 800ms:
	// with its grace period (a tenth of it) a heartbeat answers within
	// Kubernetes' default probe timeout of 1s, naming the check that hung,
	// rather than leaving the probe to give up without a reason.
	CheckTimeout time.Duration
	// HeartbeatCacheTTL, if set, serves a heartbeat's result to the
	// heartbeats of the next TTL instead of running the checks again.
	// Env DOCKERFLOW_HEARTBEAT_CACHE_TTL.
	HeartbeatCacheTTL time.Duration
	// HeartbeatInterval, if set, runs the checks in the background every
	// interval (starting in New); heartbeats answer with the last result.
	// Until the first run has finished, a heartbeat waits for it. Call
	// Close to stop. Env DOCKERFLOW_HEARTBEAT_INTERVAL. Exclusive with
	// HeartbeatCacheTTL.
	HeartbeatInterval time.Duration
	// HeartbeatFailedStatusCode is the status of a failed heartbeat, 400 to
	// 599. Env DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE; default 500.
	HeartbeatFailedStatusCode int
	// HeartbeatShowDetails adds "checks" and "details" to the heartbeat
	// body. Off by default: they tell anyone who can reach the endpoint
	// what the service depends on and what fails (python-dockerflow shows
	// them only in DEBUG since GHSA-v7fv-wxwf-7ffh).
	// Env DOCKERFLOW_HEARTBEAT_SHOW_DETAILS.
	HeartbeatShowDetails bool
	// SilencedChecks are message IDs dropped from every check's result
	// (Django's SILENCED_SYSTEM_CHECKS). Env DOCKERFLOW_SILENCED_CHECKS,
	// comma-separated.
	SilencedChecks []string
	// HeartbeatPassed and HeartbeatFailed, if set, are called for each
	// heartbeat request that passes or fails (python-dockerflow's
	// heartbeat_passed and heartbeat_failed signals). They run on the
	// request's goroutine: keep them quick.
	HeartbeatPassed func(ctx context.Context, r *Report)
	HeartbeatFailed func(ctx context.Context, r *Report)

	// EnableErrorEndpoint serves /__error__, which logs an error and fails
	// the request through the framework's error path. Off by default: it
	// makes errors on demand. Env DOCKERFLOW_ENABLE_ERROR_ENDPOINT.
	EnableErrorEndpoint bool

	// RequestIDHeader is the header the request ID is read from and echoed
	// in. Env DOCKERFLOW_REQUEST_ID_HEADER_NAME; default X-Request-ID.
	RequestIDHeader string
	// SummaryQueryString logs the percent-decoded query string as
	// "querystring", the values of sensitive parameters (token=,
	// password=, X-Amz-Signature=…; see SensitiveKeys) redacted.
	// Env DOCKERFLOW_SUMMARY_LOG_QUERYSTRING.
	SummaryQueryString bool
	// SensitiveKeys are names of keys whose values are redacted, beside
	// the built-in ones, in logged query strings (by parameter name) and
	// in check messages (key=value, key: value and JSON forms). A key
	// matches a name when it is the name or ends with it after "-", "_",
	// "." or a bracket; case does not matter. The built-in names: password,
	// passwd, pwd, pass, passphrase, secret, token, auth, authorization, apikey, api_key,
	// accesskey, access_key, privatekey, private_key, credential(s) and
	// signature, at the end of any key; in query strings also key, code,
	// sig, jwt, otp, hmac and session(id). Env DOCKERFLOW_SENSITIVE_KEYS,
	// comma-separated.
	SensitiveKeys []string
	// SummaryExcludePaths are paths whose requests get no summary (say,
	// "/__lbheartbeat__"). Env DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS,
	// comma-separated.
	SummaryExcludePaths []string
	// SummarySampleRate, between 0 and 1, is the share of successful
	// requests that get a summary; failed ones always do. 0 means 1.
	// Env DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE.
	SummarySampleRate float64
	// SummarySkip, if set, skips the summary of requests it returns true for.
	SummarySkip func(r *http.Request) bool
	// UserID, if set, gives the summary's uid, unless the handler set one
	// with SetUserID.
	UserID func(r *http.Request) string

	// Logger receives summaries and events; nil means mozlog lines on
	// standard output (a *MozlogLogger).
	Logger Logger
	// LookupEnv reads the environment; nil means os.LookupEnv, and then a
	// DOCKERFLOW_ variable that is not one of the above (misspelled, or in
	// lower case) is logged as a warning naming the closest known one.
	// Tests pass their own (see MapEnv).
	LookupEnv func(key string) (string, bool)

	environ func() []string // lists the environment, for tests
}

// MapEnv returns a LookupEnv function over m, for tests and for services
// that keep their configuration elsewhere.
func MapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// EnvError is an environment variable whose value is invalid. Its Error
// text names the variable, its value and what it should be, with any
// password in the value (a URL's user information, password= and the
// like, however the URL is shaped) redacted, in the value and in Want.
type EnvError struct {
	Name  string // the variable
	Value string // the value it has, as it is: print the error, not this
	Want  string // what it should be
}

func (e *EnvError) Error() string {
	secrets := valueSecrets(e.Value, defaultKeys)
	msg := fmt.Sprintf("invalid %s=%q: want %s", e.Name, redactURLPassword(e.Value), e.Want)
	return redactText(msg, defaultKeys, secrets)
}

// env reads variables into the fields of a Config that code left unset,
// collecting an EnvError for each invalid value.
type env struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (e *env) get(name string) (string, bool) {
	v, ok := e.lookup(name)
	if !ok || strings.TrimSpace(v) == "" {
		return "", false
	}
	return strings.TrimSpace(v), true
}

func (e *env) fail(name, value, want string) {
	e.errs = append(e.errs, &EnvError{Name: name, Value: value, Want: want})
}

func (e *env) str(dst *string, name string) {
	if *dst == "" {
		*dst, _ = e.get(name)
	}
}

func (e *env) list(dst *[]string, name string) {
	if *dst != nil {
		return
	}
	if v, ok := e.get(name); ok {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				*dst = append(*dst, item)
			}
		}
	}
}

// parse sets *dst from the variable name when *dst is still zero, with
// conv turning the text into a value; a text conv refuses is an EnvError
// saying the variable should hold want.
func parse[T comparable](e *env, dst *T, name, want string, conv func(string) (T, bool)) {
	var zero T
	if *dst != zero {
		return
	}
	v, ok := e.get(name)
	if !ok {
		return
	}
	if x, ok := conv(v); ok {
		*dst = x
	} else {
		e.fail(name, v, want)
	}
}

func (e *env) boolean(dst *bool, name string) {
	parse(e, dst, name, "a boolean (true, false, 1, 0, yes, no, on, off)", func(v string) (bool, bool) {
		switch strings.ToLower(v) {
		case "1", "t", "true", "yes", "y", "on":
			return true, true
		case "0", "f", "false", "no", "n", "off":
			return false, true
		}
		return false, false
	})
}

// duration reads a duration of at least least, or 0 when zeroOK.
func (e *env) duration(dst *time.Duration, name string, least time.Duration, zeroOK bool, want string) {
	parse(e, dst, name, want, func(v string) (time.Duration, bool) {
		d, err := time.ParseDuration(v)
		return d, err == nil && (d >= least || zeroOK && d == 0)
	})
}

func (e *env) integer(dst *int, name string, min, max int, want string) {
	parse(e, dst, name, want, func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		return n, err == nil && n >= min && n <= max
	})
}

func (e *env) fraction(dst *float64, name string) {
	parse(e, dst, name, "a number above 0 and at most 1", func(v string) (float64, bool) {
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && f > 0 && f <= 1
	})
}

// resolve fills the unset fields from the environment and the defaults,
// and reports every invalid value, from code or environment.
func (c *Config) resolve() error {
	lookup := c.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	e := &env{lookup: lookup}
	if c.VersionLoader == nil {
		e.str(&c.VersionFile, "DOCKERFLOW_VERSION_FILE")
		if c.VersionFile == "" {
			dir, ok := e.get("APP_DIR")
			if !ok {
				dir = DefaultAppDir
			}
			c.VersionFile = filepath.Join(dir, "version.json")
		}
	}
	e.boolean(&c.VersionFromBuildInfo, "DOCKERFLOW_VERSION_FROM_BUILD_INFO")
	e.duration(&c.CheckTimeout, "DOCKERFLOW_CHECK_TIMEOUT", minCheckTimeout, false,
		`a duration of at least 1ms such as "800ms" or "2s"`)
	e.duration(&c.HeartbeatCacheTTL, "DOCKERFLOW_HEARTBEAT_CACHE_TTL", minHeartbeatCacheTTL, true,
		`0 (no cache) or a duration of at least 1ms such as "1s"`)
	e.duration(&c.HeartbeatInterval, "DOCKERFLOW_HEARTBEAT_INTERVAL", minHeartbeatInterval, true,
		`0 (no background runs) or a duration of at least 100ms such as "10s"`)
	e.integer(&c.HeartbeatFailedStatusCode, "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE",
		400, 599, "an HTTP status code from 400 to 599")
	e.boolean(&c.HeartbeatShowDetails, "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS")
	e.list(&c.SilencedChecks, "DOCKERFLOW_SILENCED_CHECKS")
	e.boolean(&c.EnableErrorEndpoint, "DOCKERFLOW_ENABLE_ERROR_ENDPOINT")
	if c.RequestIDHeader == "" {
		if v, ok := e.get("DOCKERFLOW_REQUEST_ID_HEADER_NAME"); ok && !validRequestIDHeader(v) {
			e.fail("DOCKERFLOW_REQUEST_ID_HEADER_NAME", v, requestIDHeaderWant)
		} else {
			c.RequestIDHeader = v
		}
	}
	e.boolean(&c.SummaryQueryString, "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING")
	e.list(&c.SensitiveKeys, "DOCKERFLOW_SENSITIVE_KEYS")
	e.list(&c.SummaryExcludePaths, "DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS")
	e.fraction(&c.SummarySampleRate, "DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE")

	errs := e.errs
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.VersionLoader != nil && c.VersionFile != "" {
		bad("config: set VersionFile or VersionLoader, not both")
	}
	if c.CheckTimeout != 0 && c.CheckTimeout < minCheckTimeout {
		bad("config: CheckTimeout %v is below %v", c.CheckTimeout, minCheckTimeout)
	}
	if c.HeartbeatCacheTTL != 0 && c.HeartbeatCacheTTL < minHeartbeatCacheTTL {
		bad("config: HeartbeatCacheTTL %v is below %v (0 for no cache)", c.HeartbeatCacheTTL, minHeartbeatCacheTTL)
	}
	if c.HeartbeatInterval != 0 && c.HeartbeatInterval < minHeartbeatInterval {
		bad("config: HeartbeatInterval %v is below %v (0 for no background runs)", c.HeartbeatInterval, minHeartbeatInterval)
	}
	if c.HeartbeatCacheTTL > 0 && c.HeartbeatInterval > 0 {
		bad("config: HeartbeatCacheTTL (%v) and HeartbeatInterval (%v) are both set; a background interval already caches, set one",
			c.HeartbeatCacheTTL, c.HeartbeatInterval)
	}
	if n := c.HeartbeatFailedStatusCode; n != 0 && (n < 400 || n > 599) {
		bad("config: HeartbeatFailedStatusCode %d is not from 400 to 599", n)
	}
	if c.RequestIDHeader != "" && !validRequestIDHeader(c.RequestIDHeader) {
		bad("config: RequestIDHeader %q is not %s", c.RequestIDHeader, requestIDHeaderWant)
	}
	if r := c.SummarySampleRate; r < 0 || r > 1 {
		bad("config: SummarySampleRate %v is not between 0 and 1", r)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}

	if c.CheckTimeout == 0 {
		c.CheckTimeout = DefaultCheckTimeout
	}
	if c.HeartbeatFailedStatusCode == 0 {
		c.HeartbeatFailedStatusCode = DefaultHeartbeatFailedStatusCode
	}
	if c.RequestIDHeader == "" {
		c.RequestIDHeader = DefaultRequestIDHeader
	}
	if c.SummarySampleRate == 0 {
		c.SummarySampleRate = 1
	}
	if c.Logger == nil {
		c.Logger = &MozlogLogger{}
	}
	return nil
}

// Lower bounds of the durations: below them a setting does harm (an
// interval of 1ns runs the checks without pause) and serves no purpose.
const (
	minCheckTimeout      = time.Millisecond
	minHeartbeatCacheTTL = time.Millisecond
	minHeartbeatInterval = 100 * time.Millisecond
)

const requestIDHeaderWant = "an HTTP header name that is not a hop-by-hop, framing, cookie or credentials header"

// forbiddenRequestIDHeaders are headers the request ID must not be read
// from and echoed in: hop-by-hop and framing headers (a second
// Transfer-Encoding or Content-Length breaks the response), cookies and
// credentials (echoed back to the client, or to everyone from a cache).
var forbiddenRequestIDHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Proxy-Authenticate": true,
	"Proxy-Authorization": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Content-Length": true, "Content-Encoding": true, "Content-Type": true, "Content-Range": true, "Host": true,
	"Cookie": true, "Set-Cookie": true, "Set-Cookie2": true, "Authorization": true, "Www-Authenticate": true,
	"Cache-Control": true, "Location": true,
}

// validRequestIDHeader reports whether s may carry the request ID.
func validRequestIDHeader(s string) bool {
	return validHeaderName(s) && !forbiddenRequestIDHeaders[http.CanonicalHeaderKey(s)]
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// ListenAddr returns the address to listen on, ":$PORT", with PORT read
// through lookup (nil means os.LookupEnv) and 8000 when it is unset. A PORT
// that is not a number from 1 to 65535 is an *EnvError.
func ListenAddr(lookup func(string) (string, bool)) (string, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	port := 0
	e := &env{lookup: lookup}
	e.integer(&port, "PORT", 1, 65535, "a port number from 1 to 65535")
	if len(e.errs) > 0 {
		return "", e.errs[0]
	}
	if port == 0 {
		port = DefaultPort
	}
	return ":" + strconv.Itoa(port), nil
}
