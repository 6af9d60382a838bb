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
	// VersionLoader, if set, replaces the file: VersionFile (and
	// DOCKERFLOW_VERSION_FILE, APP_DIR, which images often set) is then
	// not read.
	VersionLoader VersionLoader
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
	// Env DOCKERFLOW_HEARTBEAT_SHOW_DETAILS.
	HeartbeatShowDetails bool
	// SilencedChecks are message IDs dropped from every check's result
	// (Django's SILENCED_SYSTEM_CHECKS). Env DOCKERFLOW_SILENCED_CHECKS,
	// comma-separated.
	SilencedChecks []string
	// HeartbeatPassed and HeartbeatFailed, if set, are called for each
	// heartbeat that passes or fails (python-dockerflow's
	// heartbeat_passed and heartbeat_failed signals), whatever asked for
	// it: /__heartbeat__, the gRPC health server's Check and List (and
	// each poll of its Watch), or Service.Heartbeat. They run on the
	// caller's goroutine: keep them quick.
	HeartbeatPassed func(ctx context.Context, r *Report)
	HeartbeatFailed func(ctx context.Context, r *Report)
	// HeartbeatLog is when a check's messages are logged: "changes" (the
	// default) when its state changes (a first failure, a change of
	// level, a recovery, logged with how long it lasted and how many runs
	// failed), and again at most once a minute while it stays non-ok;
	// "every" on every run. Env DOCKERFLOW_HEARTBEAT_LOG.
	HeartbeatLog string
	// CheckChanged, if set, is told of each change of a check's level
	// (as the heartbeat counts it), with the results before and after.
	// It runs on the run's goroutine, after the run: keep it quick.
	CheckChanged func(ctx context.Context, name string, from, to CheckResult)

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
	// LogFormat is the default logger's format: "mozlog" (JSON lines, the
	// default) or "text" (one human line per entry, for a developer's
	// machine). New hands it to a Logger set in code: logformat's logrus
	// Formatter and mozlog's slog Handler take it; a Logger that cannot
	// makes New fail, naming the variable. Env DOCKERFLOW_LOG_FORMAT.
	LogFormat string
	// LogCloudSeverity adds Google Cloud Logging's "severity" ("ERROR"…)
	// to every line of the default logger, beside mozlog's numeric
	// Severity: on GKE, Cloud Logging colours and filters by it. New
	// hands it to a Logger set in code, as LogFormat.
	// Env DOCKERFLOW_LOG_CLOUD_SEVERITY.
	LogCloudSeverity bool
	// DisableRequestIDEcho leaves the request ID out of the response's
	// headers: a response a proxy caches would otherwise give every later
	// caller the first caller's ID. Env DOCKERFLOW_REQUEST_ID_ECHO=false.
	DisableRequestIDEcho bool
	// SummaryQueryString logs the percent-decoded query string as
	// "querystring", the values of sensitive parameters (token=,
	// password=, X-Amz-Signature=…; see SensitiveKeys) redacted.
	// Env DOCKERFLOW_SUMMARY_LOG_QUERYSTRING.
	SummaryQueryString bool
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
	// fails with a "starting" entry (IDStarting) until Ready is called,
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
	// standard output (a *MozlogLogger).
	Logger Logger
	// Observers see each check run, heartbeat, request summary and
	// failure, for metrics and error reporting (see Observer): what the
	// metrics/prometheus, metrics/otel and reporting/sentry modules
	// return goes here.
	Observers []Observer
	// warnings are what ConfigFromEnv found worth saying (unknown
	// DOCKERFLOW_ variables); New logs them.
	warnings []string
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
	// The value alone is redacted, before it is quoted: %q escapes the
	// quotes that would end a secret (password="…"). The name and Want
	// are the program's own words; redacting the whole text read
	// `"Set-Cookie": want` as a key and its value.
	secrets := valueSecrets(e.Value, defaultKeys)
	value := redactText(redactURLPassword(e.Value), defaultKeys, secrets)
	return fmt.Sprintf("invalid %s=%q: want %s", e.Name, value, e.Want)
}

// ConfigFromEnv returns the Config the environment describes: each
// setting whose variable is set and not blank (see the package's table of
// variables), every other field zero (its default). lookup reads the
// environment; nil means os.LookupEnv, and then a DOCKERFLOW_ variable
// that is none of the table's (misspelled, in lower case) is logged by
// New as a warning naming the closest known one. The error reports every
// invalid variable at once, each an *EnvError.
func ConfigFromEnv(lookup func(key string) (string, bool)) (Config, error) {
	var c Config
	environ := []string(nil)
	if lookup == nil {
		lookup = os.LookupEnv
		environ = os.Environ()
	}
	var errs []error
	for _, st := range settings {
		v, ok := lookup(st.name)
		if v = strings.TrimSpace(v); !ok || v == "" {
			continue
		}
		if !st.set(&c, v) {
			errs = append(errs, &EnvError{Name: st.name, Value: v, Want: st.want})
		}
	}
	if c.VersionFile == "" {
		if dir, ok := lookup("APP_DIR"); ok && strings.TrimSpace(dir) != "" {
			c.VersionFile = filepath.Join(strings.TrimSpace(dir), "version.json")
		}
	}
	if c.HeartbeatCacheTTL > 0 && c.HeartbeatInterval > 0 {
		ttl, _ := lookup("DOCKERFLOW_HEARTBEAT_CACHE_TTL")
		interval, _ := lookup("DOCKERFLOW_HEARTBEAT_INTERVAL")
		errs = append(errs, fmt.Errorf("DOCKERFLOW_HEARTBEAT_CACHE_TTL=%s and DOCKERFLOW_HEARTBEAT_INTERVAL=%s are both set: a background interval already caches; set one",
			strings.TrimSpace(ttl), strings.TrimSpace(interval)))
	}
	c.warnings = unknownEnv(environ)
	return c, errors.Join(errs...)
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
	if n := c.HeartbeatFailedStatusCode; n != 0 && (n < 400 || n > 599) {
		bad("config: HeartbeatFailedStatusCode %d is not from 400 to 599", n)
	}
	if c.RequestIDHeader != "" && !validRequestIDHeader(c.RequestIDHeader) {
		bad("config: RequestIDHeader %q is not %s", c.RequestIDHeader, requestIDHeaderWant)
	}
	if f := c.HeartbeatLog; f != "" && f != heartbeatLogChanges && f != heartbeatLogEvery {
		bad("config: HeartbeatLog %q is not changes or every", f)
	}
	if f := c.LogFormat; f != "" && f != "mozlog" && f != "text" {
		bad("config: LogFormat %q is not mozlog or text", f)
	}
	if r := c.SummarySampleRate; r < 0 || r > 1 {
		bad("config: SummarySampleRate %v is not between 0 and 1", r)
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
		c.Logger = &MozlogLogger{Options: mozlog.Options{CloudSeverity: c.LogCloudSeverity, Text: c.LogFormat == "text"}}
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

const requestIDHeaderWant = `a request-ID header name: "X-" and a name (X-Request-ID, X-Correlation-ID, X-Amzn-Trace-Id), or one ending in "-Id" (Request-Id, Correlation-Id), and none that changes how an answer is cached, framed or trusted, nor one that carries credentials, a session or a client's address`

// refusedHeaderParts are words that, as a part of a header name (between
// "-"), say the header carries a credential, a session or a client's
// address (X-Session-Id, X-Forwarded-For, X-Real-Ip): its value must not
// be echoed and logged as a request ID. The sensitive key names
// (token, auth, secret, password, cookie...) are refused too.
var refusedHeaderParts = map[string]bool{
	"session": true, "sessionid": true, "sid": true, "cookie": true, "csrf": true, "xsrf": true,
	"key": true, "jwt": true, "otp": true, "nonce": true, "ticket": true, "sig": true, "bearer": true,
	"ip": true, "ips": true, "addr": true, "address": true, "forwarded": true, "remote": true, "connecting": true, "via": true,
}

// carriesSecretOrAddress reports whether the header name c (canonical)
// names a credential, a session or a client's address.
func carriesSecretOrAddress(c string) bool {
	for _, part := range strings.Split(strings.ToLower(c), "-") {
		if refusedHeaderParts[part] {
			return true
		}
	}
	return defaultKeys.sensitive(c, true)
}

// unsafeXHeaders are X- headers that change how a browser, a proxy or a
// server treats an answer: a client's value echoed in one would frame,
// redirect or expose the answer (X-Accel-Redirect, X-Sendfile: files
// served by the proxy in front), even on a year-cached static file.
var unsafeXHeaders = map[string]bool{
	"X-Frame-Options": true, "X-Content-Type-Options": true, "X-Xss-Protection": true,
	"X-Permitted-Cross-Domain-Policies": true, "X-Dns-Prefetch-Control": true, "X-Download-Options": true,
	"X-Robots-Tag": true, "X-Ua-Compatible": true, "X-Sendfile": true, "X-Lighttpd-Send-File": true,
	"X-Forwarded-Proto": true, "X-Forwarded-Host": true, "X-Forwarded-Port": true, "X-Forwarded-Prefix": true,
	"X-Http-Method-Override": true, "X-Original-Url": true, "X-Rewrite-Url": true, "X-Csrf-Token": true, "X-Xsrf-Token": true,
	"X-Api-Key": true, "X-Auth-Token": true, "X-Amz-Security-Token": true,
}

// validRequestIDHeader reports whether s may carry the request ID, whose
// value the client chooses and every answer echoes. An allow-list shape:
// "X-" names, but those in unsafeXHeaders, the X-Accel-* family (nginx's
// internal redirects and limits) and those naming a credential, a session
// or an address, and names ending in "-Id" that are no standard header
// (Content-Id is one).
func validRequestIDHeader(s string) bool {
	if !validHeaderName(s) {
		return false
	}
	c := http.CanonicalHeaderKey(s)
	switch {
	case unsafeXHeaders[c] || strings.HasPrefix(c, "X-Accel-") || carriesSecretOrAddress(c):
		return false
	case strings.HasPrefix(c, "X-") && len(c) > 2:
		return true
	case strings.HasSuffix(c, "-Id") && len(c) > 3:
		return !strings.HasPrefix(c, "Content-") && !strings.HasPrefix(c, "Sec-") && !strings.HasPrefix(c, "Access-Control-")
	}
	return false
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
// through lookup (nil means os.LookupEnv), and fallback when PORT is
// unset or blank (":8000" when fallback is ""). A PORT that is not a
// number from 1 to 65535 is an *EnvError.
func ListenAddr(lookup func(string) (string, bool), fallback string) (string, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	v, ok := lookup("PORT")
	if v = strings.TrimSpace(v); !ok || v == "" {
		if fallback == "" {
			fallback = ":" + strconv.Itoa(defaultPort)
		}
		return fallback, nil
	}
	if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
		return "", &EnvError{Name: "PORT", Value: v, Want: "a port number from 1 to 65535"}
	}
	return ":" + v, nil
}
