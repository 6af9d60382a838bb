package sqlcheck

// The message IDs of the checks, python-dockerflow's for databases.
const (
	// IDCannotCheckMigrations: the migrations table cannot be read (it is
	// missing, or the database is down): info level.
	IDCannotCheckMigrations = "dockerflow.health.I001"
	// IDUnappliedMigration: a migration is not applied, or left dirty.
	IDUnappliedMigration = "dockerflow.health.W001"
	// IDCannotConnect: the database cannot be reached.
	IDCannotConnect = "dockerflow.health.E001"
	// IDUnusable: the database is reached, but SELECT 1 fails.
	IDUnusable = "dockerflow.health.E002"
	// IDMisconfigured: the database refuses the credentials, or has no
	// such database.
	IDMisconfigured = "dockerflow.health.E003"
)
