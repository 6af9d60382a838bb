module github.com/dockerflow-go/dockerflow/cmd/dockerflow-check

go 1.23

// core/mozlog: the one mozlog line checker, shared with the library's own
// tests. No replace directive points core at its folder, as the library's
// modules have: go install refuses a module with one. In this repository
// the command is built and tested in the workspace (go.work), which does
// the same (make test).
require github.com/dockerflow-go/dockerflow/core v0.1.0
