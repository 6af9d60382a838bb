package dockerflow_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/core/dockerflowtest"
)

const method = "/notes.v1.Notes/Get"

// An RPC's summary: the full method as method and path, the status code's
// number and name, the request ID and trace-id from its metadata.
func TestTrackCall(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{
		// The call's request: its metadata, method and context.
		UserID: func(r *http.Request) string {
			return r.Header.Get("X-User") + "@" + r.URL.Path + "#" + dockerflow.RequestID(r.Context())
		},
	})
	md := http.Header{"X-Request-Id": {"rpc-1"}, "User-Agent": {"grpc-go/1.85.0"}, "X-User": {"ann"},
		"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}
	ctx, c := svc.Adapter().TrackCall(context.Background(), method, md)
	if got := dockerflow.RequestID(ctx); got != "rpc-1" {
		t.Errorf("request ID %q, want rpc-1", got)
	}
	c.Done(5)
	c.Done(0) // once only
	s := log.Summaries()
	want := dockerflow.Summary{Level: dockerflow.LevelInfo, Agent: "grpc-go/1.85.0", Method: method, Path: method, Code: 5, Errno: 5,
		RPC: true, Status: "NOT_FOUND", RID: "rpc-1", TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", UID: "ann@" + method + "#rpc-1"}
	if len(s) != 1 {
		t.Fatalf("%d summaries, want 1", len(s))
	}
	s[0].Duration, s[0].End = 0, time.Time{}
	if s[0] != want {
		t.Errorf("summary\n  %+v\nwant\n  %+v", s[0], want)
	}

	// The mozlog line has status beside route, in name order.
	var buf bytes.Buffer
	mz := &dockerflow.MozlogLogger{Out: &buf}
	mz.LogSummary(ctx, &s[0])
	if !strings.Contains(buf.String(), `"rid":"rpc-1","status":"NOT_FOUND","t":0,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`) {
		t.Errorf("mozlog line: %s", buf.String())
	}

	// OK, a server failure, a panic; a new ID when the metadata has none.
	log.Reset()
	_, ok := svc.Adapter().TrackCall(context.Background(), method, http.Header{})
	ok.Done(0)
	_, failed := svc.Adapter().TrackCall(context.Background(), method, nil)
	failed.Failed(13, "database is down")
	_, panicked := svc.Adapter().TrackCall(context.Background(), method, nil)
	func() {
		defer func() { panicked.Panicked(13, recover()) }()
		panic("boom")
	}()
	s = log.Summaries()
	if len(s) != 3 {
		t.Fatalf("%d summaries, want 3", len(s))
	}
	if s[0].Code != 0 || s[0].Errno != 0 || s[0].Status != "OK" || s[0].Level != dockerflow.LevelInfo || len(s[0].RID) != 36 {
		t.Errorf("OK: %+v", s[0])
	}
	if s[1].Level != dockerflow.LevelError || s[1].Errno != 13 || s[1].Error != "database is down" || s[1].Msg != "database is down" {
		t.Errorf("failure: %+v", s[1])
	}
	if s[2].Level != dockerflow.LevelError || s[2].Error != "boom" || !strings.Contains(s[2].Traceback, "call_test.go") {
		t.Errorf("panic: %+v", s[2])
	}
}

// Calls follow the service's rules: excluded paths, and a call
// in flight at Close logged as UNAVAILABLE.
func TestTrackCallRules(t *testing.T) {
	svc, log := dockerflowtest.NewService(t, dockerflow.Config{DisableRequestIDEcho: true,
		SummaryExcludePaths: []string{"/grpc.health.v1.Health/Check"}})
	_, c := svc.Adapter().TrackCall(context.Background(), "/grpc.health.v1.Health/Check", nil)
	c.Done(0)
	if s := log.Summaries(); len(s) != 0 {
		t.Errorf("excluded method logged: %+v", s)
	}
	svc.Adapter().TrackCall(context.Background(), method, nil)
	_ = svc.Close()
	s := log.Summaries()
	if len(s) != 1 || s[0].Code != 14 || s[0].Status != "UNAVAILABLE" || s[0].Level != dockerflow.LevelError {
		t.Errorf("call in flight at Close: %+v", s)
	}
	if cfg := svc.Adapter().Config(); !cfg.DisableRequestIDEcho || cfg.HeartbeatInterval != 0 || cfg.RequestIDHeader != "X-Request-Id" {
		t.Errorf("the adapter's Config: echo off %v, interval %v, header %q", cfg.DisableRequestIDEcho, cfg.HeartbeatInterval, cfg.RequestIDHeader)
	}
}
