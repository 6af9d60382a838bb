package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The listing has one line per exported declaration, and none for what is
// unexported, internal, a test or a nested module.
func TestModuleAPI(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("m.go", `package m

const Max = 3
const hidden = 1

type Config struct {
	Name    string
	timeout int
}

type Logger interface{ Log(msg string) }

func New(c Config) (*Config, error) { return &c, nil }
func (c *Config) Close() error     { return nil }
func (c *Config) reset()           {}
func helper()                      {}
`)
	write("m_test.go", "package m\n\nfunc TestOnly() {}\n")
	write("internal/x/x.go", "package x\n\nfunc Hidden() {}\n")
	write("sub/sub.go", "package sub\n\nvar Default = 1\n")
	write("nested/go.mod", "module example.com/m/nested\n")
	write("nested/n.go", "package nested\n\nfunc Other() {}\n")

	lines, err := moduleAPI(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"pkg example.com/m, const Max = 3",
		"pkg example.com/m, func New(c Config) (*Config, error)",
		"pkg example.com/m, method (*Config) Close() error",
		"pkg example.com/m, type Config struct",
		"pkg example.com/m, type Config struct, Name string",
		"pkg example.com/m, type Logger interface",
		"pkg example.com/m, type Logger interface, Log(msg string)",
		"pkg example.com/m/sub, var Default",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
