// Package test holds the tests of sqlcheck that need real drivers (pgx,
// go-sql-driver/mysql, modernc.org/sqlite). It is a module of its own, so
// that a service adding sqlcheck gets none of these drivers in its
// module graph.
package test
