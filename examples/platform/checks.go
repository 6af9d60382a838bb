package platform

import (
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	sqlcheck "github.com/dockerflow-go/dockerflow/checks/sql"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
)

// Checks is the check set every service registers, defined once: the
// database answers, its migrations are all applied, Redis answers PING.
func Checks(b *Backends) ([]dockerflow.Check, error) {
	migrations, err := sqlcheck.Migrations(b.DB, sqlcheck.MigrationsConfig{Tool: sqlcheck.GolangMigrate, FS: Migrations()})
	if err != nil {
		return nil, err
	}
	return []dockerflow.Check{sqlcheck.Connected(b.DB), migrations, redischeck.New(b.Redis)}, nil
}
