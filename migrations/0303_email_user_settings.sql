-- Per-user e-mail settings of a tenant's staff (owned by Features/Email). No row = the defaults.
-- daily_digest: a CountyAdmin gets the daily digest (DailyDigestJob) unless they turned it off.
CREATE TABLE email_user_settings (
  tenant_id text NOT NULL REFERENCES tenants(id),
  user_id text NOT NULL,                -- "AspNetUsers"."Id" (a global table: no foreign key across the tenant boundary)
  daily_digest boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
SELECT enable_tenant_isolation('email_user_settings');
