package dockerflow

import (
	"context"
	"errors"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

func TestLevelString(t *testing.T) {
	for l, want := range map[Level]string{0: "ok", 10: "debug", 20: "info", 30: "warning", 40: "error", 50: "critical", 35: "unknown", -1: "unknown", 60: "unknown"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d) = %q, want %q", int(l), got, want)
		}
	}
	if LevelWarning.Failed() || !LevelError.Failed() || !Level(45).Failed() {
		t.Error("Failed: warnings pass, error and above fail")
	}
}

func TestSettle(t *testing.T) {
	c := CheckResult{Messages: []Message{Warning("a", "x"), Critical("silenced", "y"), Error("b", strings.Repeat("é", 1000))}}
	c.settle(map[string]bool{"silenced": true}, redact.Default)
	if c.Level != LevelError || len(c.Messages) != 2 {
		t.Fatalf("settled to %v with %d messages", c.Level, len(c.Messages))
	}
	if txt := c.Messages[1].Text; len(txt) > maxMessageText || !strings.HasSuffix(txt, "…") || !utf8Valid(txt) {
		t.Errorf("long text not cut cleanly: %d bytes, valid %v", len(txt), utf8Valid(txt))
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\ufffd") == s }

func TestNewRequestID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := newRequestID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated ID %q", id)
		}
		seen[id] = true
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"APP_DIR":                                 "/srv",
		"DOCKERFLOW_CHECK_TIMEOUT":                "750ms",
		"DOCKERFLOW_HEARTBEAT_INTERVAL":           " 2s ",
		"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "503",
		"DOCKERFLOW_HEARTBEAT_SHOW_DETAILS":       "yes",
		"DOCKERFLOW_SILENCED_CHECKS":              "a.W1,,b.E2 ",
		"DOCKERFLOW_ENABLE_ERROR_ENDPOINT":        "off",
		"DOCKERFLOW_REQUEST_ID_HEADER_NAME":       "X-Trace",
		"DOCKERFLOW_SUMMARY_LOG_QUERYSTRING":      "1",
		"DOCKERFLOW_SUMMARY_LOG_EXCLUDE_PATHS":    "/__lbheartbeat__",
		"DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE":      "0.25",
		"DOCKERFLOW_VERSION_FROM_BUILD_INFO":      "true",
	}
	c, err := ConfigFromEnv(mapEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	if c.VersionFile != "/srv/version.json" || c.CheckTimeout != 750*time.Millisecond || c.HeartbeatInterval != 2*time.Second ||
		c.HeartbeatFailedStatusCode != 503 || !c.HeartbeatShowDetails || len(c.SilencedChecks) != 2 || c.SilencedChecks[1] != "b.E2" ||
		c.EnableErrorEndpoint || c.RequestIDHeader != "X-Trace" || !c.SummaryQueryString || c.SummaryExcludePaths[0] != "/__lbheartbeat__" ||
		c.SummarySampleRate != 0.25 || !c.VersionFromBuildInfo {
		t.Errorf("config from the environment: %+v", c)
	}
	// What code sets afterwards wins, false included.
	c.HeartbeatShowDetails, c.CheckTimeout = false, time.Second
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.cfg; got.HeartbeatShowDetails || got.CheckTimeout != time.Second {
		t.Errorf("code set details off and 1s; the service has %v and %v", got.HeartbeatShowDetails, got.CheckTimeout)
	}
}

// New reads no environment.
func TestNewReadsNoEnvironment(t *testing.T) {
	t.Setenv("DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "true")
	t.Setenv("DOCKERFLOW_CHECK_TIMEOUT", "nonsense")
	s, err := New(Config{Logger: discard{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.cfg.HeartbeatShowDetails {
		t.Error("New read DOCKERFLOW_HEARTBEAT_SHOW_DETAILS")
	}
}

func TestConfigDefaults(t *testing.T) {
	var c Config
	if err := c.resolve(); err != nil {
		t.Fatal(err)
	}
	if c.VersionFile != "/app/version.json" || c.CheckTimeout != 800*time.Millisecond || c.HeartbeatFailedStatusCode != 500 ||
		c.RequestIDHeader != "X-Request-Id" || c.SummarySampleRate != 1 || c.HeartbeatShowDetails || c.EnableErrorEndpoint || c.Logger == nil {
		t.Errorf("defaults: %+v", c)
	}
}

func TestConfigInvalidEnv(t *testing.T) {
	for name, value := range map[string]string{
		"DOCKERFLOW_CHECK_TIMEOUT":                "3",
		"DOCKERFLOW_HEARTBEAT_CACHE_TTL":          "-1s",
		"DOCKERFLOW_HEARTBEAT_INTERVAL":           "often",
		"DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "200",
		"DOCKERFLOW_HEARTBEAT_SHOW_DETAILS":       "maybe",
		"DOCKERFLOW_ENABLE_ERROR_ENDPOINT":        "2",
		"DOCKERFLOW_REQUEST_ID_HEADER_NAME":       "X Request",
		"DOCKERFLOW_SUMMARY_LOG_QUERYSTRING":      "yes please",
		"DOCKERFLOW_SUMMARY_LOG_SAMPLE_RATE":      "1.5",
		"DOCKERFLOW_VERSION_FROM_BUILD_INFO":      "sure",
		// 292 years: every duration has an upper bound.
		"DOCKERFLOW_CHECK_TIMEOUT ":       "2562047h",
		"DOCKERFLOW_HEARTBEAT_CACHE_TTL ": "2562047h",
		"DOCKERFLOW_HEARTBEAT_INTERVAL ":  "25h",
	} {
		name = strings.TrimSpace(name) // a trailing space keeps map keys apart
		t.Run(name, func(t *testing.T) {
			_, err := ConfigFromEnv(mapEnv(map[string]string{name: value}))
			var ee *EnvError
			if !errors.As(err, &ee) || ee.Name != name || ee.Value != value {
				t.Fatalf("error %v, want an EnvError naming %s=%q", err, name, value)
			}
			if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), value) {
				t.Errorf("message %q does not name the variable and value", err)
			}
		})
	}
	// A conflict between two variables is reported with the other errors,
	// naming the variables, not Go fields.
	_, err := ConfigFromEnv(mapEnv(map[string]string{"DOCKERFLOW_HEARTBEAT_CACHE_TTL": "5s", "DOCKERFLOW_HEARTBEAT_INTERVAL": "10s", "DOCKERFLOW_CHECK_TIMEOUT": "x"}))
	if err == nil || !strings.Contains(err.Error(), "DOCKERFLOW_CHECK_TIMEOUT") ||
		!strings.Contains(err.Error(), "DOCKERFLOW_HEARTBEAT_CACHE_TTL=5s and DOCKERFLOW_HEARTBEAT_INTERVAL=10s") || strings.Contains(err.Error(), "HeartbeatCacheTTL") {
		t.Errorf("error %v: want the conflict named by its variables, beside the other error", err)
	}
	// All errors at once, not only the first.
	_, err = ConfigFromEnv(mapEnv(map[string]string{"DOCKERFLOW_CHECK_TIMEOUT": "x", "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE": "x"}))
	if err == nil || !strings.Contains(err.Error(), "DOCKERFLOW_CHECK_TIMEOUT") || !strings.Contains(err.Error(), "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE") {
		t.Errorf("error %v does not name both variables", err)
	}
}

func TestConfigInvalidCode(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{CheckTimeout: -1}, "CheckTimeout"},
		{Config{HeartbeatCacheTTL: time.Second, HeartbeatInterval: time.Second}, "both set"},
		{Config{HeartbeatFailedStatusCode: 200}, "HeartbeatFailedStatusCode 200"},
		{Config{RequestIDHeader: "bad header"}, "RequestIDHeader"},
		{Config{SummarySampleRate: 2}, "SummarySampleRate"},
		{Config{CheckTimeout: 2562047 * time.Hour}, "CheckTimeout 2562047h0m0s is above 1m0s"},
		{Config{HeartbeatCacheTTL: 2 * time.Hour}, "HeartbeatCacheTTL 2h0m0s is above 1h0m0s"},
		{Config{HeartbeatInterval: 2 * time.Hour}, "HeartbeatInterval 2h0m0s is above 1h0m0s"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error naming %q", tc.cfg, err, tc.want)
		}
	}
	s := testService(t, Config{})
	err := s.Register(Check{Name: "db", Func: func(context.Context) []Message { return nil }, Timeout: 2 * time.Hour})
	if err == nil || !strings.Contains(err.Error(), `check "db": timeout 2h0m0s is above 1m0s`) {
		t.Errorf("a check's timeout of 2h: %v", err)
	}
}

func TestListenAddr(t *testing.T) {
	for port, want := range map[string]string{"": ":8000", "9000": ":9000", " 80 ": ":80", "65535": ":65535"} {
		m := map[string]string{}
		if port != "" {
			m["PORT"] = port
		}
		if got, err := ListenAddr(mapEnv(m), ""); err != nil || got != want {
			t.Errorf("PORT=%q: %q, %v; want %q", port, got, err, want)
		}
	}
	for _, port := range []string{"abc", "0", "65536", "-1", "80.5"} {
		_, err := ListenAddr(mapEnv(map[string]string{"PORT": port}), "")
		var ee *EnvError
		if !errors.As(err, &ee) || ee.Name != "PORT" || !strings.Contains(err.Error(), `PORT="`+port+`"`) {
			t.Errorf("PORT=%q: error %v, want one naming PORT and its value", port, err)
		}
	}
	if got, err := ListenAddr(mapEnv(nil), "127.0.0.1:8080"); got != "127.0.0.1:8080" || err != nil {
		t.Errorf("without PORT, the service's own fallback: %q %v", got, err)
	}
	t.Setenv("PORT", "8123")
	if got, err := ListenAddr(nil, "127.0.0.1:8080"); got != ":8123" || err != nil {
		t.Errorf("from the process environment: %q %v", got, err)
	}
}

func TestBuildInfoVersion(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/acme/svc", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}}}
	if got := string(buildInfoVersion(bi)); got != `{"source":"https://github.com/acme/svc","version":"v1.4.0","commit":"abc123","build":""}` {
		t.Errorf("got %s", got)
	}
	bi = &debug.BuildInfo{Main: debug.Module{Path: "svc", Version: "(devel)"}}
	if got := string(buildInfoVersion(bi)); got != `{"source":"svc","version":"","commit":"","build":""}` {
		t.Errorf("got %s", got)
	}
	if got := string(buildInfoVersion(nil)); got != `{"source":"","version":"","commit":"","build":""}` {
		t.Errorf("got %s", got)
	}
}

func TestValidRequestID(t *testing.T) {
	for id, want := range map[string]bool{"a": true, " ": true, "~": true, "": false, "\x1f": false, "\x7f": false, "é": false, strings.Repeat("x", 129): false} {
		if validRequestID(id) != want {
			t.Errorf("validRequestID(%q) = %v", id, !want)
		}
	}
}

// A DOCKERFLOW_ variable no Service reads is reported, with the closest
// known name; known ones and other variables are not.
func TestUnknownEnvironmentVariables(t *testing.T) {
	log := &recorder{}
	environ := []string{"DOCKERFLOW_CHEK_TIMEOUT=1s", "dockerflow_heartbeat_show_details=true", "DOCKERFLOW_CHECK_TIMEOUT=1s",
		"DOCKERFLOW_SOMETHING_ELSE_ENTIRELY=1", "PATH=/bin", "DOCKER_HOST=x"}
	s, err := New(Config{Logger: log, warnings: unknownEnv(environ)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []string
	for _, e := range log.events() {
		if e.Type == mozlog.TypeConfig && e.Level == LevelWarning {
			got = append(got, e.Msg)
		}
	}
	want := []string{
		"unknown environment variable DOCKERFLOW_CHEK_TIMEOUT, ignored; did you mean DOCKERFLOW_CHECK_TIMEOUT?",
		"unknown environment variable dockerflow_heartbeat_show_details, ignored; did you mean DOCKERFLOW_HEARTBEAT_SHOW_DETAILS?",
		"unknown environment variable DOCKERFLOW_SOMETHING_ELSE_ENTIRELY, ignored",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Settings that do harm are refused, each naming the variable and value,
// all at once.
func TestDangerousSettings(t *testing.T) {
	env := map[string]string{
		"DOCKERFLOW_HEARTBEAT_INTERVAL":     "1ns",
		"DOCKERFLOW_CHECK_TIMEOUT":          "1us",
		"DOCKERFLOW_HEARTBEAT_CACHE_TTL":    "-1s",
		"DOCKERFLOW_REQUEST_ID_HEADER_NAME": "Set-Cookie",
	}
	_, err := ConfigFromEnv(mapEnv(env))
	if err == nil {
		t.Fatal("no error")
	}
	for name, value := range env {
		if !strings.Contains(err.Error(), "invalid "+name+"=\""+value+"\"") {
			t.Errorf("error does not name %s=%q:\n%v", name, value, err)
		}
	}
	for _, h := range []string{"Transfer-Encoding", "content-length", "Cookie", "Connection", "Authorization", "X Bad"} {
		if _, err := New(Config{RequestIDHeader: h}); err == nil {
			t.Errorf("RequestIDHeader %q accepted", h)
		}
	}
	for _, cfg := range []Config{{HeartbeatInterval: time.Nanosecond}, {CheckTimeout: time.Microsecond}, {HeartbeatCacheTTL: time.Nanosecond}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	// The bounds themselves are fine.
	if s, err := New(Config{Logger: discard{}, HeartbeatInterval: 100 * time.Millisecond, CheckTimeout: time.Millisecond}); err != nil {
		t.Errorf("the lower bounds: %v", err)
	} else {
		s.Close()
	}
}

// LogCloudSeverity turns Cloud Logging's severity on in the default logger.
func TestLogCloudSeverityDefaultLogger(t *testing.T) {
	cfg, err := ConfigFromEnv(mapEnv(map[string]string{"DOCKERFLOW_LOG_CLOUD_SEVERITY": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if l, ok := s.cfg.Logger.(*MozlogLogger); !ok || !l.CloudSeverity {
		t.Errorf("default logger %#v, want mozlog with CloudSeverity", s.cfg.Logger)
	}
}

// A loader set in code replaces the file the environment names (images
// set APP_DIR): code wins, rather than a conflict.
func TestVersionLoaderWinsOverEnvironment(t *testing.T) {
	cfg, err := ConfigFromEnv(mapEnv(map[string]string{"APP_DIR": "/app"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = discard{}
	cfg.VersionLoader = func(context.Context) ([]byte, error) { return []byte(`{"version":"9"}`), nil }
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer s.Close()
	if resp, _ := respondTo(s, context.Background(), PathVersion, "GET"); string(resp.body) != `{"version":"9"}` {
		t.Errorf("got %d %s, want the loader's object", resp.status, resp.body)
	}
}
