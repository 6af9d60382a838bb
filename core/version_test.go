package dockerflow

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dockerflow-go/dockerflow/core/mozlog"
)

// hangGuard is a context that ends long after any answer below is due: a
// test that reaches it has found a hang.
func hangGuard(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// A FIFO named version.json is refused at once with a 500, instead of
// blocking every request on a read that never ends.
func TestVersionFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "version.json")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	s := testService(t, Config{VersionFile: path})
	ctx := hangGuard(t)
	resp, _ := respondTo(s, ctx, PathVersion, "GET")
	if ctx.Err() != nil {
		t.Fatal("/__version__ hung on a FIFO")
	}
	if resp.status != 500 || string(resp.body) != "version.json is not a regular file" {
		t.Errorf("got %d %q, want 500 saying it is not a regular file", resp.status, resp.body)
	}
}

// A loader that blocks holds no lock: another request waits only as long
// as its own context lets it.
func TestVersionLoadHoldsNoLock(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := testService(t, Config{VersionLoader: func(ctx context.Context) ([]byte, error) {
		<-release
		return []byte(`{"version":"1"}`), nil
	}})
	go func() { _, _ = s.version.get(context.Background()) }() // blocks in the loader
	waitFor(t, "the first load to start", func() bool {
		s.version.mu.Lock()
		defer s.version.mu.Unlock()
		return s.version.loading != nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := s.Version(ctx); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("second request: %v, want its own deadline", err)
		}
	case <-hangGuard(t).Done():
		t.Fatal("a second request waited on the first one's blocked load past its own deadline")
	}
}

// A read error is not what the file says: it is not kept, and the next
// request reads again.
func TestVersionTransientErrorNotCached(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "version.json")
		if err := os.Mkdir(path, 0o755); err != nil { // unreadable as a file
			t.Fatal(err)
		}
		s := testService(t, Config{VersionFile: path})
		if resp, _ := respondTo(s, context.Background(), PathVersion, "GET"); resp.status != 500 {
			t.Fatalf("a directory: %d, want 500", resp.status)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(`{"version":"2"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if resp, _ := respondTo(s, context.Background(), PathVersion, "GET"); resp.status != 200 {
			t.Errorf("after the file was fixed: %d %q, want 200", resp.status, resp.body)
		}
	})
	t.Run("loader", func(t *testing.T) {
		log := &recorder{}
		var calls atomic.Int64
		s := testService(t, Config{Logger: log, VersionLoader: func(context.Context) ([]byte, error) {
			if calls.Add(1) <= 2 {
				return nil, syscall.EMFILE
			}
			return []byte(`{"version":"3"}`), nil
		}})
		for i := 0; i < 2; i++ {
			resp, _ := respondTo(s, context.Background(), PathVersion, "GET")
			if resp.status != 500 || string(resp.body) != "version.json could not be read" {
				t.Errorf("while out of descriptors: %d %q", resp.status, resp.body)
			}
		}
		if resp, _ := respondTo(s, context.Background(), PathVersion, "GET"); resp.status != 200 {
			t.Errorf("once descriptors are back: %d %q, want 200", resp.status, resp.body)
		}
		if ev := log.events(); len(ev) != 1 || !strings.Contains(ev[0].Msg, "too many open files") {
			t.Errorf("logged %+v, want the repeated error once", ev)
		}
	})
}

// A request whose context has ended still gets the build-info fallback
// when there is no version.json, never a 404.
func TestVersionFallbackAfterContextEnds(t *testing.T) {
	s := testService(t, Config{VersionFile: filepath.Join(t.TempDir(), "version.json"), VersionFromBuildInfo: true})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := 0; i < 40; i++ {
		if resp, _ := respondTo(s, ctx, PathVersion, "GET"); resp.status != 200 {
			t.Fatalf("try %d: %d %q, want the fallback", i, resp.status, resp.body)
		}
	}
}

// Invalid UTF-8 is a malformed file, not JSON to serve byte for byte.
func TestVersionInvalidUTF8(t *testing.T) {
	s := testService(t, Config{VersionLoader: func(context.Context) ([]byte, error) {
		return []byte("{\"version\":\"\xff\xfe\"}"), nil
	}})
	resp, _ := respondTo(s, context.Background(), PathVersion, "GET")
	if resp.status != 500 || string(resp.body) != "version.json is not valid UTF-8" {
		t.Errorf("got %d %q", resp.status, resp.body)
	}
}

// A missing file is logged once, with the path searched.
func TestVersionNotFoundLoggedOnce(t *testing.T) {
	log := &recorder{}
	path := filepath.Join(t.TempDir(), "version.json")
	s := testService(t, Config{VersionFile: path, Logger: log})
	for i := 0; i < 3; i++ {
		if resp, _ := respondTo(s, context.Background(), PathVersion, "GET"); resp.status != 404 {
			t.Fatalf("status %d, want 404", resp.status)
		}
	}
	ev := log.events()
	if len(ev) != 1 || ev[0].Type != mozlog.TypeVersion || !strings.Contains(ev[0].Msg, path) {
		t.Errorf("logged %+v, want one event naming %s", ev, path)
	}
}

// The first caller's cancellation is not the load's: a second request
// waiting for the same load gets the version object, and nothing is
// logged as an error.
func TestVersionLoadOutlivesFirstCaller(t *testing.T) {
	release := make(chan struct{})
	log := &recorder{}
	var calls atomic.Int32
	s := testService(t, Config{Logger: log, VersionLoader: func(ctx context.Context) ([]byte, error) {
		calls.Add(1)
		select {
		case <-release:
			return []byte(`{"version":"1"}`), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}})
	first, cancelFirst := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() { _, err := s.Version(first); firstErr <- err }()
	waitFor(t, "the first load to start", func() bool {
		s.version.mu.Lock()
		defer s.version.mu.Unlock()
		return s.version.loading != nil
	})
	second := make(chan error, 1)
	go func() { _, err := s.Version(hangGuard(t)); second <- err }()
	cancelFirst()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled caller: %v, want its own cancellation", err)
	}
	close(release)
	if err := <-second; err != nil {
		t.Errorf("the second caller: %v, want the version object", err)
	}
	if ev := log.events(); len(ev) != 0 {
		t.Errorf("logged %+v", ev)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the loader ran %d times, want once", n)
	}
}
