package dockerflow

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dockerflow-go/dockerflow/core/internal/redact"
)

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
	secrets := redact.ValueSecrets(e.Value, redact.Default)
	value := redact.Text(redact.URLPassword(e.Value), redact.Default, secrets)
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
			if st.secret {
				v = redact.Redacted // never in an error
			}
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
