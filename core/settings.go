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
}

var settings = []setting{
	{"DOCKERFLOW_VERSION_FILE", "path of version.json; else $APP_DIR/version.json, /app/version.json", "a path",
		func(c *Config, v string) bool { c.VersionFile = v; return true }},
	{"DOCKERFLOW_VERSION_FROM_BUILD_INFO", "bool, false: serve build information while there is no version.json", boolWant,
		boolSetting(func(c *Config) *bool { return &c.VersionFromBuildInfo })},
	{"DOCKERFLOW_CHECK_TIMEOUT", "duration 1ms-1m, 800ms: each check's timeout",
		`a duration from 1ms to 1m such as "800ms" or "2s"`,
		durationSetting(func(c *Config) *time.Duration { return &c.CheckTimeout }, minCheckTimeout, maxCheckTimeout, false)},
	{"DOCKERFLOW_HEARTBEAT_CACHE_TTL", "0 or duration 1ms-1h, 0: reuse a result this long",
		`0 (no cache) or a duration from 1ms to 1h such as "1s"`,
		durationSetting(func(c *Config) *time.Duration { return &c.HeartbeatCacheTTL }, minHeartbeatCacheTTL, maxHeartbeatCacheTTL, true)},
	{"DOCKERFLOW_HEARTBEAT_INTERVAL", "0 or duration 100ms-1h, 0: run the checks in the background",
		`0 (no background runs) or a duration from 100ms to 1h such as "10s"`,
		durationSetting(func(c *Config) *time.Duration { return &c.HeartbeatInterval }, minHeartbeatInterval, maxHeartbeatInterval, true)},
	{"DOCKERFLOW_DRAIN_DELAY", "duration up to 5m, 5s: serve on, draining, after SIGTERM; 0 skips it",
		`a duration up to 5m such as "5s", or 0 to skip the delay`,
		func(c *Config, v string) bool {
			d, err := time.ParseDuration(v)
			c.DrainDelay = d
			if err == nil && d == 0 {
				c.DrainDelay = -1 // none, as a negative DrainDelay says in code
			}
			return err == nil && d >= 0 && d <= maxDrainDelay
		}},
	{"DOCKERFLOW_SHUTDOWN_TIMEOUT", "duration 1ms-10m, 20s: wait for requests in flight after the delay",
		`a duration from 1ms to 10m such as "20s"`,
		durationSetting(func(c *Config) *time.Duration { return &c.ShutdownTimeout }, time.Millisecond, maxShutdownTimeout, false)},
	{"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "400-599, 500: status of a failed heartbeat", "an HTTP status code from 400 to 599",
		func(c *Config, v string) bool {
			n, err := strconv.Atoi(v)
			c.HeartbeatFailedStatusCode = n
			return err == nil && n >= 400 && n <= 599
		}},
	{"DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "bool, false: checks and details in the heartbeat body", boolWant,
		boolSetting(func(c *Config) *bool { return &c.HeartbeatShowDetails })},
	{envDetailsToken, "16+ bytes: a bearer token that shows checks and details to who sends it", "at least 16 printable ASCII bytes without spaces",
		func(c *Config, v string) bool { c.HeartbeatDetailsToken = v; return checkDetailsToken(v) == nil }},
	{"DOCKERFLOW_HEARTBEAT_LOG", "changes or every, changes: log a check's messages when its state changes, or on every run",
		"changes or every",
		func(c *Config, v string) bool {
			c.HeartbeatLog = strings.ToLower(v)
			return c.HeartbeatLog == heartbeatLogChanges || c.HeartbeatLog == heartbeatLogEvery
		}},
	{"DOCKERFLOW_SILENCED_CHECKS", "comma-separated message IDs to drop", "comma-separated message IDs",
		listSetting(func(c *Config) *[]string { return &c.SilencedChecks })},
	{"DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "bool, false: serve /__error__", boolWant,
		boolSetting(func(c *Config) *bool { return &c.EnableErrorEndpoint })},
	{"DOCKERFLOW_REQUEST_ID_HEADER_NAME", "header name, X-Request-ID: not framing, caching, credentials, sessions or addresses", requestIDHeaderWant,
		func(c *Config, v string) bool { c.RequestIDHeader = v; return validRequestIDHeader(v) }},
	{"DOCKERFLOW_REQUEST_ID_FROM_TRACEPARENT", "bool, false: a traceparent's trace-id as the request ID when none is sent", boolWant,
		boolSetting(func(c *Config) *bool { return &c.RequestIDFromTraceparent })},
	{"DOCKERFLOW_REQUEST_ID_ECHO", "bool, true: echo the request ID in the response", boolWant,
		func(c *Config, v string) bool {
			on, ok := parseBool(v)
			c.DisableRequestIDEcho = !on
			return ok
		}},
	{"DOCKERFLOW_LOG_FORMAT", "mozlog or text, mozlog: the logger's lines (mozlog.OptionsFromEnv)", "mozlog or text",
		func(c *Config, v string) bool {
			f := strings.ToLower(v)
			c.logSettings().Text = f == "text"
			return f == "text" || f == "mozlog"
		}},
	{"DOCKERFLOW_LOG_CLOUD_SEVERITY", "bool, false: Cloud Logging's severity name beside mozlog's Severity", boolWant,
		func(c *Config, v string) bool {
			on, ok := parseBool(v)
			c.logSettings().CloudSeverity = on
			return ok
		}},
	{"DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "bool, false: log the query string, redacted", boolWant,
		boolSetting(func(c *Config) *bool { return &c.SummaryQueryString })},
	{"DOCKERFLOW_SUMMARY_LOG_FIELDS", "comma-separated opt-in summary fields: size, remoteAddressChain (personal data), httpRequest (Cloud Logging)",
		"comma-separated names from size, remoteAddressChain and httpRequest",
		func(c *Config, v string) bool {
			ok := listSetting(func(c *Config) *[]string { return &c.SummaryFields })(c, v)
			_, err := parseSummaryFields(c.SummaryFields)
			return ok && err == nil
		}},
	{"GOOGLE_CLOUD_PROJECT", "Google Cloud project: the traces the httpRequest field links to", "a project ID",
		func(c *Config, v string) bool { c.GoogleCloudProject = v; return true }},
	{"DOCKERFLOW_SENSITIVE_KEYS", "comma-separated key names to redact, beside the built-in ones", "comma-separated key names",
		listSetting(func(c *Config) *[]string { return &c.SensitiveKeys })},
	{"DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS", "comma-separated paths with no summary", "comma-separated paths",
		listSetting(func(c *Config) *[]string { return &c.SummaryExcludePaths })},
	{"DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE", "0 < rate ≤ 1, 1: share of successful requests summarised", "a number above 0 and at most 1",
		func(c *Config, v string) bool {
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
