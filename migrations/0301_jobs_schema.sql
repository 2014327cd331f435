-- Background jobs (owned by Jobs/): Hangfire's own schema, outside row-level security.
-- Its tables hold job ids and tenant ids only (job arguments are ids, never personal data).
-- The tables themselves are installed by the migrator right after these scripts with Hangfire.PostgreSql's
-- versioned installer (Jobs/JobsSchema.cs), as the owner; the application may use them but create nothing.
CREATE SCHEMA IF NOT EXISTS hangfire;
REVOKE CREATE ON SCHEMA hangfire FROM PUBLIC;
GRANT USAGE ON SCHEMA hangfire TO "$app_role$";
ALTER DEFAULT PRIVILEGES IN SCHEMA hangfire GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "$app_role$";
ALTER DEFAULT PRIVILEGES IN SCHEMA hangfire GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "$app_role$";
