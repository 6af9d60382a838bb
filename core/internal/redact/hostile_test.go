package redact

import (
	"strings"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/internal/redact/hostile"
)

func TestHostileQueryStrings(t *testing.T) {
	for _, q := range hostile.Queries {
		if got := Query(q, Default); strings.Contains(strings.ToUpper(got), hostile.Secret) {
			t.Errorf("redactQuery(%q) = %q", q, got)
		}
	}
}

func TestHostileTexts(t *testing.T) {
	for _, text := range hostile.Texts {
		if got := Text(text, Default, nil); strings.Contains(strings.ToUpper(got), hostile.Secret) {
			t.Errorf("Redact(%q) = %q", text, got)
		}
	}
	if len(hostile.Texts33) != 54 || len(hostile.Leaks33) > 3 {
		t.Fatalf("%d texts, %d leaks allowed", len(hostile.Texts33), len(hostile.Leaks33))
	}
	for _, text := range hostile.Texts33 {
		got := Text(text, Default, nil)
		if leaked := strings.Contains(strings.ToUpper(got), hostile.Secret); leaked != hostile.Leaks33[text] {
			t.Errorf("Redact(%q) = %q (a known leak: %v)", text, got, hostile.Leaks33[text])
		}
	}
}

// Redaction costs time linear in the text, whatever it holds: a 64 KiB
// run of '@' took 1.9 s (each '@' looked back and ahead 2 KiB), and a
// logged query string may be that long. The bound is a hang guard,
// hundreds of times what the work takes.
func TestRedactLinearTime(t *testing.T) {
	for _, s := range []string{strings.Repeat("@", 1<<16), strings.Repeat("x", 2000) + strings.Repeat("@", 1<<16),
		strings.Repeat("a:b@", 1<<14), strings.Repeat("a=", 1<<15), strings.Repeat("%2525", 1<<14), strings.Repeat(`"a":`, 1<<14),
		strings.Repeat(`password=\"`, 1<<13), strings.Repeat("&quot;", 1<<14), strings.Repeat("u:p@h ", 1<<13)} {
		start := time.Now()
		Text(s, Default, nil)
		Query("q="+s, Default)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%.12q… (%d bytes): %v", s, len(s), d)
		}
	}
}
