-- The platform's audit log (SPA, issue 9): security-relevant actions that belong to no county — today SystemAdmin
-- registering, changing and removing API clients of the OpenID Connect server (global, like the clients themselves:
-- docs/decisions/0011). Append-only for the application, like the tenants' audit_log (migration 0010); ids only,
-- never personal data in details. Written by AuditLog.RecordPlatformAsync, read by SystemAdmin (GET /api/system/audit).
CREATE TABLE platform_audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  actor_name text,
  action text NOT NULL,
  target text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  correlation_id text
);
CREATE INDEX platform_audit_log_time_idx ON platform_audit_log (occurred_at DESC, id DESC);
REVOKE UPDATE, DELETE, TRUNCATE ON platform_audit_log FROM "$app_role$";
REVOKE ALL ON platform_audit_log FROM "$reporting_role$";
