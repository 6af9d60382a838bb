package dockerflow

import (
	"strconv"
	"strings"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// setting is one environment variable of ConfigFromEnv. The table drives
// the parsing, the table of variables in the package documentation and
// the README (a test checks both), and the fuzz target.
type setting struct {
	name string // the variable
	kind string // what it takes, and its default, for the documentation
	want string // what an invalid value should be
	// set parses v (trimmed, not empty) into c, reporting whether it could.
	set func(c *Config, v string) bool
	// secret: the value is never shown, not even in the error of an
	// invalid one (a token).
	secret bool
}

var settings = []setting{
	{name: "DOCKERFLOW_VERSION_FILE", kind: "path of version.json; else $APP_DIR/version.json, /app/version.json", want: "a path",
		set: func(c *Config, v string) bool { c.VersionFile = v; return true }},
	{name: "DOCKERFLOW_VERSION_FROM_BUILD_INFO", kind: "bool, false: serve build information while there is no version.json", want: boolWant,
		set: boolSetting(func(c *Config) *bool { return &c.VersionFromBuildInfo })},
	{name: "DOCKERFLOW_CHECK_TIMEOUT", kind: "duration 1ms-1m, 800ms: each check's timeout", want: `a duration from 1ms to 1m such as "800ms" or "2s"`,
		set: durationSetting(func(c *Config) *time.Duration { return &c.CheckTimeout }, minCheckTimeout, maxCheckTimeout, false)},
	{name: "DOCKERFLOW_HEARTBEAT_CACHE_TTL", kind: "0 or duration 1ms-1h, 0: reuse a result this long", want: `0 (no cache) or a duration from 1ms to 1h such as "1s"`,
		set: durationSetting(func(c *Config) *time.Duration { return &c.HeartbeatCacheTTL }, minHeartbeatCacheTTL, maxHeartbeatCacheTTL, true)},
	{name: "DOCKERFLOW_HEARTBEAT_INTERVAL", kind: "0 or duration 100ms-1h, 0: run the checks in the background", want: `0 (no background runs) or a duration from 100ms to 1h such as "10s"`,
		set: durationSetting(func(c *Config) *time.Duration { return &c.HeartbeatInterval }, minHeartbeatInterval, maxHeartbeatInterval, true)},
	{name: "DOCKERFLOW_DRAIN_DELAY", kind: "duration up to 5m, 5s: serve on, draining, after SIGTERM; 0 skips it", want: `a duration up to 5m such as "5s", or 0 to skip the delay`,
		set: func(c *Config, v string) bool {
			d, err := time.ParseDuration(v)
			c.DrainDelay = d
			if err == nil && d == 0 {
				c.DrainDelay = -1 // none, as a negative DrainDelay says in code
			}
			return err == nil && d >= 0 && d <= maxDrainDelay
		}},
	{name: "DOCKERFLOW_SHUTDOWN_TIMEOUT", kind: "duration 1ms-10m, 20s: wait for requests in flight after the delay", want: `a duration from 1ms to 10m such as "20s"`,
		set: durationSetting(func(c *Config) *time.Duration { return &c.ShutdownTimeout }, time.Millisecond, maxShutdownTimeout, false)},
	{name: "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", kind: "400-599, 500: status of a failed heartbeat", want: "an HTTP status code from 400 to 599",
		set: func(c *Config, v string) bool {
			n, err := strconv.Atoi(v)
			c.HeartbeatFailedStatusCode = n
			return err == nil && n >= 400 && n <= 599
		}},
	{name: "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", kind: "bool, false: checks and details in the heartbeat body", want: boolWant,
		set: boolSetting(func(c *Config) *bool { return &c.HeartbeatShowDetails })},
	{name: envDetailsToken, kind: "16+ bytes: a bearer token that shows checks and details to who sends it", want: "at least 16 printable ASCII bytes without spaces",
		set:    func(c *Config, v string) bool { c.HeartbeatDetailsToken = v; return checkDetailsToken(v) == nil },
		secret: true},
	{name: "DOCKERFLOW_HEARTBEAT_LOG", kind: "changes or every, changes: log a check's messages when its state changes, or on every run", want: "changes or every",
		set: func(c *Config, v string) bool {
			c.HeartbeatLog = strings.ToLower(v)
			return c.HeartbeatLog == heartbeatLogChanges || c.HeartbeatLog == heartbeatLogEvery
		}},
	{name: "DOCKERFLOW_SILENCED_CHECKS", kind: "comma-separated message IDs to drop", want: "comma-separated message IDs",
		set: listSetting(func(c *Config) *[]string { return &c.SilencedChecks })},
	{name: "DOCKERFLOW_ENABLE_ERROR_ENDPOINT", kind: "bool, false: serve /__error__", want: boolWant,
		set: boolSetting(func(c *Config) *bool { return &c.EnableErrorEndpoint })},
	{name: "DOCKERFLOW_REQUEST_ID_HEADER_NAME", kind: "header name, X-Request-ID: not framing, caching, credentials, sessions or addresses", want: requestIDHeaderWant,
		set: func(c *Config, v string) bool { c.RequestIDHeader = v; return validRequestIDHeader(v) }},
	{name: "DOCKERFLOW_REQUEST_ID_FROM_TRACEPARENT", kind: "bool, false: a traceparent's trace-id as the request ID when none is sent", want: boolWant,
		set: boolSetting(func(c *Config) *bool { return &c.RequestIDFromTraceparent })},
	{name: "DOCKERFLOW_REQUEST_ID_ECHO", kind: "bool, true: echo the request ID in the response", want: boolWant,
		set: func(c *Config, v string) bool {
			on, ok := parseBool(v)
			c.DisableRequestIDEcho = !on
			return ok
		}},
	{name: "DOCKERFLOW_LOG_FORMAT", kind: "mozlog or text, mozlog: the logger's lines (mozlog.OptionsFromEnv)", want: "mozlog or text",
		set: func(c *Config, v string) bool {
			f := strings.ToLower(v)
			c.logSettings().Text = f == "text"
			return f == "text" || f == "mozlog"
		}},
	{name: "DOCKERFLOW_LOG_CLOUD_SEVERITY", kind: "bool, false: Cloud Logging's severity name beside mozlog's Severity", want: boolWant,
		set: func(c *Config, v string) bool {
			on, ok := parseBool(v)
			c.logSettings().CloudSeverity = on
			return ok
		}},
	{name: "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", kind: "bool, false: log the query string, redacted", want: boolWant,
		set: boolSetting(func(c *Config) *bool { return &c.SummaryQueryString })},
	{name: "DOCKERFLOW_SUMMARY_LOG_FIELDS", kind: "comma-separated opt-in summary fields: size, remoteAddressChain (personal data), httpRequest (Cloud Logging)", want: "comma-separated names from size, remoteAddressChain and httpRequest",
		set: func(c *Config, v string) bool {
			ok := listSetting(func(c *Config) *[]string { return &c.SummaryFields })(c, v)
			_, err := parseSummaryFields(c.SummaryFields)
			return ok && err == nil
		}},
	{name: "GOOGLE_CLOUD_PROJECT", kind: "Google Cloud project: the traces the httpRequest field links to", want: "a project ID",
		set: func(c *Config, v string) bool { c.GoogleCloudProject = v; return true }},
	{name: "DOCKERFLOW_SENSITIVE_KEYS", kind: "comma-separated key names to redact, beside the built-in ones", want: "comma-separated key names",
		set: listSetting(func(c *Config) *[]string { return &c.SensitiveKeys })},
	{name: "DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS", kind: "comma-separated paths with no summary", want: "comma-separated paths",
		set: listSetting(func(c *Config) *[]string { return &c.SummaryExcludePaths })},
	{name: "DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE", kind: "0 < rate ≤ 1, 1: share of successful requests summarised", want: "a number above 0 and at most 1",
		set: func(c *Config, v string) bool {
			f, err := strconv.ParseFloat(v, 64)
			c.SummarySampleRate = f
			return err == nil && f > 0 && f <= 1
		}},
}

// logSettings returns the log settings read from the environment, made
// when the first is read.
func (c *Config) logSettings() *mozlog.Options {
	if c.logEnv == nil {
		c.logEnv = &mozlog.Options{}
	}
	return c.logEnv
}

const boolWant = "a boolean (true, false, 1, 0, yes, no, on, off)"

func parseBool(v string) (value, ok bool) {
	switch strings.ToLower(v) {
	case "1", "t", "true", "yes", "y", "on":
		return true, true
	case "0", "f", "false", "no", "n", "off":
		return false, true
	}
	return false, false
}

func boolSetting(field func(*Config) *bool) func(*Config, string) bool {
	return func(c *Config, v string) bool {
		b, ok := parseBool(v)
		*field(c) = b
		return ok
	}
}

func durationSetting(field func(*Config) *time.Duration, least, most time.Duration, zeroOK bool) func(*Config, string) bool {
	return func(c *Config, v string) bool {
		d, err := time.ParseDuration(v)
		*field(c) = d
		return err == nil && (d >= least && d <= most || zeroOK && d == 0)
	}
}

func listSetting(field func(*Config) *[]string) func(*Config, string) bool {
	return func(c *Config, v string) bool {
		var items []string
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
		*field(c) = items
		return true
	}
}
