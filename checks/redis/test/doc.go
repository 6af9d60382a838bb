// Package test holds the tests of redischeck that need a Redis: miniredis,
// real servers and throwaway ones. It is a module of its own, so that a
// service adding redischeck gets no miniredis in its module graph.
package test
