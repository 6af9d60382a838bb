// Package dockerflowtest checks that a framework adapter serves the
// Dockerflow contract exactly as this project specifies it, the way
// net/http/httptest helps test handlers.
//
// # The conformance suite
//
// Every adapter (net/http, chi, echo, gin, gorilla/mux) runs the same suite, so that all of
// them answer byte for byte alike. An adapter's test hands Run a function
// that builds the adapter's handler around the suite's application:
//
//	func TestConformance(t *testing.T) {
//		dockerflowtest.Run(t, func(svc *dockerflow.Service, app http.Handler) http.Handler {
//			return dockerflowhttp.Wrap(svc, app)
//		})
//	}
//
// The suite then asserts every behaviour: endpoint bodies, status codes
// and headers, request IDs, and the request.summary records.
//
// # Helpers for a service's own tests
//
// NewService builds a Service that is closed when the test ends; Logger
// records the summaries and events it logs; Buffer captures log lines
// written concurrently; Env is a lookup function over a map, for
// dockerflow.ConfigFromEnv. Backends that fail on purpose are package
// faulttest's.
package dockerflowtest
