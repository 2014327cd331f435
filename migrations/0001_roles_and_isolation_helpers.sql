-- Roles and the helpers every tenant-owned table uses.
--
-- The migrator runs as the owner role (it owns every table). The application connects as $app_role$,
-- which owns nothing and cannot bypass row-level security. $reporting_role$ never logs in: it owns the
-- national aggregate functions (SECURITY DEFINER) and is the only role whose policies read across tenants.
-- In production a DBA may create both roles beforehand; then these statements change nothing.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$app_role$') THEN
    CREATE ROLE "$app_role$" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$reporting_role$') THEN
    CREATE ROLE "$reporting_role$" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;

-- The owner must be able to hand functions to the reporting role.
GRANT "$reporting_role$" TO CURRENT_USER;

GRANT USAGE ON SCHEMA public TO "$app_role$", "$reporting_role$";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Every table and sequence the owner creates from now on is usable by the application
-- (row-level security decides which rows). Tables that must be read-only or append-only revoke explicitly.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "$app_role$";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "$app_role$";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "$reporting_role$";

-- The tenant of the current transaction, as set by the unit of work: set_config('app.tenant_id', id, true).
CREATE FUNCTION current_tenant_id() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '') $$;

-- Turns on and forces row-level security for a tenant-owned table (one with a tenant_id column).
-- Tenant scope: rows of the current tenant only, for reading and writing.
-- Reporting: the reporting role may read every row, for aggregate functions that return counts.
CREATE FUNCTION enable_tenant_isolation(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id())', tbl);
  EXECUTE format('CREATE POLICY reporting_read ON %s FOR SELECT TO %I USING (true)', tbl, '$reporting_role$');
END
$$;
