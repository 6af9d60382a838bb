package dockerflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// Defaults of a zero Config.
const (
	defaultPort                      = 8000
	defaultCheckTimeout              = 800 * time.Millisecond
	defaultDrainDelay                = 5 * time.Second
	defaultShutdownTimeout           = 20 * time.Second
	maxDrainDelay                    = 5 * time.Minute
	maxShutdownTimeout               = 10 * time.Minute
	kubernetesGracePeriod            = 30 * time.Second
	defaultHeartbeatFailedStatusCode = http.StatusInternalServerError
	defaultAppDir                    = "/app"
)

// Config configures a Service. The zero value works: a field left at its
// zero value takes the default its comment gives. New reads no
// environment: ConfigFromEnv reads the variables named in the comments
// into a Config, which code then changes as it likes, so that what code
// sets always wins, false included:
//
//	cfg, err := dockerflow.ConfigFromEnv(nil)
//	if err != nil {
//		log.Fatal(err) // every invalid variable, each named
//	}
//	cfg.HeartbeatShowDetails = false // whatever the environment says
//	svc, err := dockerflow.New(cfg)
type Config struct {
	// VersionFile is the path of version.json; /app/version.json by
	// default. Env DOCKERFLOW_VERSION_FILE, else $APP_DIR/version.json.
	VersionFile string
	// VersionLoader, if set, replaces the file: it returns the raw JSON of
	// the version object, or an error matching fs.ErrNotExist when there
	// is none yet. VersionFile (and DOCKERFLOW_VERSION_FILE, APP_DIR,
	// which images often set) is then not read.
	VersionLoader func(ctx context.Context) ([]byte, error)
	// VersionFromBuildInfo serves a version object built from the binary's
	// build information (module version, VCS revision) while there is no
	// version.json. Env DOCKERFLOW_VERSION_FROM_BUILD_INFO.
	VersionFromBuildInfo bool

	// CheckTimeout bounds each check that sets no Timeout of its own,
	// 1ms to 1m. Env DOCKERFLOW_CHECK_TIMEOUT (a Go duration, "800ms");
	// default 800ms:
	// with its grace period (a tenth of it) a heartbeat answers within
	// Kubernetes' default probe timeout of 1s, naming the check that hung,
	// rather than leaving the probe to give up without a reason.
	CheckTimeout time.Duration
	// HeartbeatCacheTTL, if set (1ms to 1h), serves a heartbeat's result to
	// the heartbeats of the next TTL instead of running the checks again.
	// Env DOCKERFLOW_HEARTBEAT_CACHE_TTL.
	HeartbeatCacheTTL time.Duration
	// HeartbeatInterval, if set (100ms to 1h), runs the checks in the
	// background every interval (starting in New); heartbeats answer with the last result.
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
	// Env DOCKERFLOW_HEARTBEAT_SHOW_DETAILS. To show them to operators
	// only, leave it off and set HeartbeatDetailsToken or
	// HeartbeatDetailsAllowed.
	HeartbeatShowDetails bool
	// HeartbeatDetailsToken, if set (16 bytes or more, printable ASCII),
	// shows the checks and details to requests carrying
	// "Authorization: Bearer <token>", compared in constant time; others
	// get the plain body, and the same status (never a 401: load balancers
	// must not care). The token is never logged nor shown in an error.
	// Env DOCKERFLOW_HEARTBEAT_DETAILS_TOKEN.
	HeartbeatDetailsToken string
	// HeartbeatDetailsAllowed, if set, shows the checks and details to the
	// requests it returns true for: an internal network, a client
	// certificate, a header an ingress sets. On gRPC, List asks it with a
	// request holding the call's metadata as Header and the peer's address
	// as RemoteAddr. It must be fast and must not block.
	HeartbeatDetailsAllowed func(*http.Request) bool
	// SilencedChecks are message IDs dropped from every check's result
	// (Django's SILENCED_SYSTEM_CHECKS). Env DOCKERFLOW_SILENCED_CHECKS,
	// comma-separated.
	SilencedChecks []string
	// HeartbeatLog is when a check's messages are logged: "changes" (the
	// default) when its state changes (a first failure, a change of
	// level, a recovery, logged with how long it lasted and how many runs
	// failed), and again at most once a minute while it stays non-ok;
	// "every" on every run. Env DOCKERFLOW_HEARTBEAT_LOG.
	HeartbeatLog string

	// EnableErrorEndpoint serves /__error__, which logs an error and fails
	// the request through the framework's error path. Off by default: it
	// makes errors on demand. Env DOCKERFLOW_ENABLE_ERROR_ENDPOINT.
	EnableErrorEndpoint bool

	// RequestIDHeader is the header the request ID is read from and echoed
	// in. Env DOCKERFLOW_REQUEST_ID_HEADER_NAME; default X-Request-ID.
	// Since every answer echoes the client's value in it, only request-ID
	// shaped names are taken: "X-" names (X-Correlation-ID,
	// X-Amzn-Trace-Id) and names ending in "-Id" (Request-Id,
	// Correlation-Id), never one that changes how an answer is cached,
	// framed or trusted (Refresh, Vary, ETag, Content-Security-Policy,
	// X-Frame-Options, X-Accel-Redirect...), nor one that carries
	// credentials, a session or a client's address (X-Auth-Token,
	// X-Session-Id, X-Forwarded-For, X-Real-Ip); New refuses the others.
	RequestIDHeader string
	// RequestIDFromTraceparent takes the trace-id of a valid W3C
	// traceparent header as the request ID when the request has no valid
	// request-ID header, so that one ID follows a request across
	// services. Env DOCKERFLOW_REQUEST_ID_FROM_TRACEPARENT.
	RequestIDFromTraceparent bool
	// DisableRequestIDEcho leaves the request ID out of the response's
	// headers: a response a proxy caches would otherwise give every later
	// caller the first caller's ID. Env DOCKERFLOW_REQUEST_ID_ECHO=false.
	DisableRequestIDEcho bool
	// SummaryQueryString logs the percent-decoded query string as
	// "querystring", the values of sensitive parameters (token=,
	// password=, X-Amz-Signature=…; see SensitiveKeys) redacted.
	// Env DOCKERFLOW_SUMMARY_LOG_QUERYSTRING.
	SummaryQueryString bool
	// SummaryFields are the summary's opt-in fields, by name:
	//   - "size": the bytes of the response body sent (HTTP; not for a
	//     request cut short).
	//   - "remoteAddressChain": mozlog's list of the addresses of
	//     X-Forwarded-For (the last 15 that are IP addresses; anything
	//     else is left out) then the client's as the server saw it (for
	//     an RPC, the x-forwarded-for metadata only). Addresses are
	//     personal data: off unless asked for.
	//   - "httpRequest": Google Cloud Logging's request object
	//     (requestMethod, requestUrl: the path, and the query string when
	//     SummaryQueryString logs it, redacted; status, userAgent, latency,
	//     protocol, responseSize, and remoteIp with remoteAddressChain),
	//     and, for a request with a W3C traceparent, the fields that link
	//     it to its trace (logging.googleapis.com/trace with
	//     GoogleCloudProject, spanId, trace_sampled). They are written at
	//     the top level of the line, where Cloud Logging reads them.
	// New refuses another name. Env DOCKERFLOW_SUMMARY_LOG_FIELDS,
	// comma-separated.
	SummaryFields []string
	// GoogleCloudProject is the Google Cloud project of the traces the
	// summaries link to with the "httpRequest" field
	// (logging.googleapis.com/trace: projects/<project>/traces/<trace-id>).
	// Env GOOGLE_CLOUD_PROJECT.
	GoogleCloudProject string
	// SensitiveKeys are names of keys whose values are redacted, beside
	// the built-in ones, in logged query strings (by parameter name), in
	// check messages and in failure texts (key=value, key: value and JSON
	// forms, escaped or not). Case does not matter; a key is split into
	// parts at "-", "_", ".", brackets and camel case, digits ending a
	// part ignored, and a name matches any part. Built in: keys holding
	// password, passwd, passphrase, secret, assertion, saml, credential,
	// apikey, accesskey or privatekey anywhere (password_confirmation,
	// SAMLResponse, client_assertion); keys with a part that is, or ends
	// with, pwd, pass, token, auth, authorization, signature or cookie
	// (id_token_hint, X-Amz-Signature, accesstoken); and in query strings
	// (and after "?", "&" or ";" in text) keys whose last part is key,
	// code, sig, jwt, otp, hmac, session(id), nonce or ticket. Env
	// DOCKERFLOW_SENSITIVE_KEYS, comma-separated.
	SensitiveKeys []string
	// SummaryExcludePaths are paths whose requests get no summary (say,
	// "/__lbheartbeat__"). Env DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS,
	// comma-separated.
	SummaryExcludePaths []string
	// SummarySampleRate, between 0 and 1, is the share of successful
	// requests that get a summary; failed ones always do. 0 means 1.
	// Env DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE.
	SummarySampleRate float64
	// UserID, if set, gives the summary's uid, unless the handler set one
	// with SetUserID.
	UserID func(r *http.Request) string

	// KeepHeadersOnPanic are response headers the 500 that replaces a
	// panicking handler's answer keeps, beside the request ID and the
	// security headers kept always (Strict-Transport-Security,
	// Content-Security-Policy and its Report-Only form, X-Frame-Options,
	// X-Content-Type-Options, Referrer-Policy, Permissions-Policy, the
	// three Cross-Origin-*-Policy headers, X-Permitted-Cross-Domain-Policies).
	// Every other header the handler set is dropped; caching and
	// validator headers, Content-*, Set-Cookie and Location cannot be
	// kept (New says so).
	KeepHeadersOnPanic []string

	// WaitForReady holds the service in its starting state: /__heartbeat__
	// fails with a "starting" entry (dockerflow.lifecycle.E001) until Ready is called,
	// after migrations or a cache warm-up; /__lbheartbeat__ answers 200
	// throughout, since the process is alive. Pair it with a Kubernetes
	// readinessProbe on /__heartbeat__ (the README shows the probes).
	WaitForReady bool
	// DrainDelay is how long Run keeps serving after SIGTERM with the
	// service draining (see Drain), before it stops accepting
	// connections: long enough for load balancers to see the 503 of
	// /__lbheartbeat__ and for Kubernetes to take the pod out of its
	// endpoints. 0 means 5s; negative, none. SIGINT skips it. Env
	// DOCKERFLOW_DRAIN_DELAY (0 skips it).
	DrainDelay time.Duration
	// ShutdownTimeout bounds how long Run waits, after the delay, for
	// the requests in flight; what is left then is cut, and its
	// summaries logged. 0 means 20s. DrainDelay + ShutdownTimeout must
	// stay under the pod's terminationGracePeriodSeconds (30s by
	// default). Env DOCKERFLOW_SHUTDOWN_TIMEOUT.
	ShutdownTimeout time.Duration

	// Logger receives summaries and events; nil means mozlog lines on
	// standard output (a *MozlogLogger), as DOCKERFLOW_LOG_FORMAT and
	// DOCKERFLOW_LOG_CLOUD_SEVERITY say when ConfigFromEnv read them. The
	// log settings belong to the logger: give one set in code the
	// environment's (mozlog.OptionsFromEnv); New fails, naming the
	// variables, when the environment set some that the Logger set in
	// code does not have, rather than ignore them.
	Logger Logger
	// Observers see each check run, heartbeat, request summary and
	// failure, for metrics and error reporting (see Observer): what the
	// metrics/prometheus, metrics/otel and reporting/sentry modules
	// return goes here.
	Observers []Observer
	// warnings are what ConfigFromEnv found worth saying (unknown
	// DOCKERFLOW_ variables); New logs them.
	warnings []string
	// logEnv are the log settings ConfigFromEnv read (nil for none); New
	// checks a Logger set in code has them.
	logEnv *mozlog.Options
}

// resolve checks the configuration set in code and fills in the defaults
// of the fields left at zero. It reports every invalid value.
func (c *Config) resolve() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.CheckTimeout != 0 && c.CheckTimeout < minCheckTimeout {
		bad("config: CheckTimeout %v is below %v", c.CheckTimeout, minCheckTimeout)
	}
	if c.CheckTimeout > maxCheckTimeout {
		bad("config: CheckTimeout %v is above %v", c.CheckTimeout, maxCheckTimeout)
	}
	if c.HeartbeatCacheTTL != 0 && c.HeartbeatCacheTTL < minHeartbeatCacheTTL {
		bad("config: HeartbeatCacheTTL %v is below %v (0 for no cache)", c.HeartbeatCacheTTL, minHeartbeatCacheTTL)
	}
	if c.HeartbeatCacheTTL > maxHeartbeatCacheTTL {
		bad("config: HeartbeatCacheTTL %v is above %v", c.HeartbeatCacheTTL, maxHeartbeatCacheTTL)
	}
	if c.HeartbeatInterval != 0 && c.HeartbeatInterval < minHeartbeatInterval {
		bad("config: HeartbeatInterval %v is below %v (0 for no background runs)", c.HeartbeatInterval, minHeartbeatInterval)
	}
	if c.HeartbeatInterval > maxHeartbeatInterval {
		bad("config: HeartbeatInterval %v is above %v", c.HeartbeatInterval, maxHeartbeatInterval)
	}
	if c.HeartbeatCacheTTL > 0 && c.HeartbeatInterval > 0 {
		bad("config: HeartbeatCacheTTL (%v) and HeartbeatInterval (%v) are both set; a background interval already caches, set one",
			c.HeartbeatCacheTTL, c.HeartbeatInterval)
	}
	if err := checkDetailsToken(c.HeartbeatDetailsToken); err != nil {
		errs = append(errs, err)
	}
	if n := c.HeartbeatFailedStatusCode; n != 0 && (n < 400 || n > 599) {
		bad("config: HeartbeatFailedStatusCode %d is not from 400 to 599", n)
	}
	if c.RequestIDHeader != "" && !validRequestIDHeader(c.RequestIDHeader) {
		bad("config: RequestIDHeader %q is not %s", c.RequestIDHeader, requestIDHeaderWant)
	}
	if f := c.HeartbeatLog; f != "" && f != heartbeatLogChanges && f != heartbeatLogEvery {
		bad("config: HeartbeatLog %q is not changes or every", f)
	}
	if r := c.SummarySampleRate; r < 0 || r > 1 {
		bad("config: SummarySampleRate %v is not between 0 and 1", r)
	}
	if _, err := parseSummaryFields(c.SummaryFields); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if c.DrainDelay > maxDrainDelay {
		bad("config: DrainDelay %v is above %v", c.DrainDelay, maxDrainDelay)
	}
	if c.ShutdownTimeout < 0 || c.ShutdownTimeout > maxShutdownTimeout {
		bad("config: ShutdownTimeout %v is not from 0 (20s) to %v", c.ShutdownTimeout, maxShutdownTimeout)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	switch {
	case c.DrainDelay == 0:
		c.DrainDelay = defaultDrainDelay
	case c.DrainDelay < 0:
		c.DrainDelay = 0 // none
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = defaultShutdownTimeout
	}
	if d := c.DrainDelay + c.ShutdownTimeout; d > kubernetesGracePeriod {
		c.warnings = append(c.warnings, fmt.Sprintf("DrainDelay %v + ShutdownTimeout %v is %v, above Kubernetes' default terminationGracePeriodSeconds (30s): raise the pod's, or Kubernetes kills the process before it stops", c.DrainDelay, c.ShutdownTimeout, d))
	}
	if c.VersionLoader != nil {
		c.VersionFile = "" // the loader replaces the file
	} else if c.VersionFile == "" {
		c.VersionFile = filepath.Join(defaultAppDir, "version.json")
	}
	if c.CheckTimeout == 0 {
		c.CheckTimeout = defaultCheckTimeout
	}
	if c.HeartbeatFailedStatusCode == 0 {
		c.HeartbeatFailedStatusCode = defaultHeartbeatFailedStatusCode
	}
	if c.RequestIDHeader == "" {
		c.RequestIDHeader = defaultRequestIDHeader
	}
	if c.HeartbeatLog == "" {
		c.HeartbeatLog = heartbeatLogChanges
	}
	if c.SummarySampleRate == 0 {
		c.SummarySampleRate = 1
	}
	if c.Logger == nil {
		l := &MozlogLogger{}
		if c.logEnv != nil {
			l.Options = *c.logEnv
		}
		c.Logger = l
	} else if err := c.checkLogSettings(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// Bounds of the durations: below them a setting does harm (an interval
// of 1ns runs the checks without pause); above them it serves no purpose
// and hides a typo (a check timeout of 292 years holds every heartbeat as
// long as the check hangs; a result cached for a day is not a heartbeat).
const (
	minCheckTimeout      = time.Millisecond
	maxCheckTimeout      = time.Minute
	minHeartbeatCacheTTL = time.Millisecond
	maxHeartbeatCacheTTL = time.Hour
	minHeartbeatInterval = 100 * time.Millisecond
	maxHeartbeatInterval = time.Hour
)
