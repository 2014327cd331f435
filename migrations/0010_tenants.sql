-- Tenants: one per county board, keyed by county code, created from the reference data.
-- The tenants table itself is global (it is read to resolve a tenant before any tenant scope exists).

CREATE TABLE tenants (
  id text PRIMARY KEY REFERENCES counties(code),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  is_active boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
REVOKE INSERT, DELETE, TRUNCATE ON tenants FROM "$app_role$";

-- Per-tenant settings (tenant-owned, row-level security).
-- reach_target default: the national 3,000 split in proportion to the county's number of municipalities,
-- by largest remainder so that the 21 targets add up to exactly 3,000.
CREATE TABLE tenant_settings (
  tenant_id text PRIMARY KEY REFERENCES tenants(id),
  contact_email text,
  sender_name text NOT NULL,
  reply_to_email text,
  time_zone text NOT NULL DEFAULT 'Europe/Stockholm',
  reach_target integer NOT NULL CHECK (reach_target BETWEEN 0 AND 1000000),
  attendance_threshold_minutes integer NOT NULL DEFAULT 10 CHECK (attendance_threshold_minutes BETWEEN 0 AND 1440),
  reminder_offsets_minutes integer[] NOT NULL DEFAULT '{10080,1440,60}',
  nudge_offset_minutes integer NOT NULL DEFAULT 4320,
  follow_up_delay_minutes integer NOT NULL DEFAULT 1440,
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT enable_tenant_isolation('tenant_settings');
REVOKE DELETE, TRUNCATE ON tenant_settings FROM "$app_role$";

CREATE TEMP TABLE seed_tenants (id text, slug text, name text, reach_target int) ON COMMIT DROP;
INSERT INTO seed_tenants (id, slug, name, reach_target) VALUES
  ('01', 'stockholm', 'Länsstyrelsen i Stockholms län', 269),
  ('03', 'uppsala', 'Länsstyrelsen i Uppsala län', 83),
  ('04', 'sodermanland', 'Länsstyrelsen i Södermanlands län', 93),
  ('05', 'ostergotland', 'Länsstyrelsen i Östergötlands län', 135),
  ('06', 'jonkoping', 'Länsstyrelsen i Jönköpings län', 135),
  ('07', 'kronoberg', 'Länsstyrelsen i Kronobergs län', 83),
  ('08', 'kalmar', 'Länsstyrelsen i Kalmar län', 124),
  ('09', 'gotland', 'Länsstyrelsen i Gotlands län', 10),
  ('10', 'blekinge', 'Länsstyrelsen i Blekinge län', 52),
  ('12', 'skane', 'Länsstyrelsen i Skåne län', 341),
  ('13', 'halland', 'Länsstyrelsen i Hallands län', 62),
  ('14', 'vastra-gotaland', 'Länsstyrelsen i Västra Götalands län', 507),
  ('17', 'varmland', 'Länsstyrelsen i Värmlands län', 166),
  ('18', 'orebro', 'Länsstyrelsen i Örebro län', 124),
  ('19', 'vastmanland', 'Länsstyrelsen i Västmanlands län', 103),
  ('20', 'dalarna', 'Länsstyrelsen i Dalarnas län', 155),
  ('21', 'gavleborg', 'Länsstyrelsen i Gävleborgs län', 103),
  ('22', 'vasternorrland', 'Länsstyrelsen i Västernorrlands län', 72),
  ('23', 'jamtland', 'Länsstyrelsen i Jämtlands län', 83),
  ('24', 'vasterbotten', 'Länsstyrelsen i Västerbottens län', 155),
  ('25', 'norrbotten', 'Länsstyrelsen i Norrbottens län', 145);

INSERT INTO tenants (id, slug, name) SELECT id, slug, name FROM seed_tenants;

-- The migrator (owner) writes each tenant's settings under that tenant's scope, since RLS is forced.
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT * FROM seed_tenants LOOP
    PERFORM set_config('app.tenant_id', t.id, true);
    INSERT INTO tenant_settings (tenant_id, sender_name, reach_target) VALUES (t.id, t.name, t.reach_target);
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;

-- Audit log: append-only, tenant-scoped record of security-relevant actions.
-- Never holds an invitee's personal data: actors are user ids/names of staff, targets are ids.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  actor_name text,
  action text NOT NULL,
  target text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  correlation_id text
);
CREATE INDEX audit_log_tenant_time_idx ON audit_log(tenant_id, occurred_at DESC, id DESC);
SELECT enable_tenant_isolation('audit_log');
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM "$app_role$";
