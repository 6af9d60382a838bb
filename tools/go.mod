module github.com/dockerflow-go/dockerflow/tools

go 1.25.0

require (
	golang.org/x/exp v0.0.0-20260813180055-c1d0aacb2297
	golang.org/x/mod v0.39.0
	golang.org/x/tools v0.49.0
)

require golang.org/x/sync v0.22.0 // indirect
