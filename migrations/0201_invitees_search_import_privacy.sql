-- Invitees (owned by Features/Invitees): Swedish sorting and search, import batches, privacy settings.

-- Swedish collation (ICU): å, ä, ö sort after z, in that order, and case does not split names apart.
CREATE COLLATION IF NOT EXISTS sv_icu (provider = icu, locale = 'sv-SE');

-- Trigram indexes make free-text search (LIKE '%…%') fast on 100,000 invitees. pg_trgm is a trusted
-- extension: the database owner (the migration role) may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- What free-text search looks in: names, e-mail and title, lower-cased with Swedish case rules
-- (the application lower-cases the query the same way). Null parts (erased) add nothing.
ALTER TABLE invitees ADD COLUMN search_text text GENERATED ALWAYS AS (
  lower((coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(title, '')) COLLATE sv_icu)
) STORED;
CREATE INDEX invitees_search_trgm_idx ON invitees USING gin (search_text gin_trgm_ops);

-- Keyset pagination: one index per sort order (tenant first; row-level security adds tenant_id = …).
CREATE INDEX invitees_sort_name_idx ON invitees (tenant_id, (coalesce(last_name, '') COLLATE sv_icu), (coalesce(first_name, '') COLLATE sv_icu), id);
CREATE INDEX invitees_sort_email_idx ON invitees (tenant_id, (coalesce(email_normalized, '') COLLATE sv_icu), id);
CREATE INDEX invitees_sort_created_idx ON invitees (tenant_id, created_at, id);
CREATE INDEX invitees_sort_updated_idx ON invitees (tenant_id, updated_at, id);
CREATE INDEX invitees_tags_idx ON invitees USING gin (tags);
CREATE INDEX invitees_tenant_status_role_idx ON invitees (tenant_id, status, role_category);

-- Import batches: who imported which file when, with what result (committed imports only).
CREATE TABLE invitee_import_batches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  created_by text NOT NULL,             -- user id
  created_at timestamptz NOT NULL DEFAULT now(),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  encoding text,                        -- csv: utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252
  delimiter text,                       -- csv: ';', ',', tab
  policy text NOT NULL CHECK (policy IN ('update', 'skip')),
  row_count integer NOT NULL,
  created_count integer NOT NULL,
  updated_count integer NOT NULL,
  unchanged_count integer NOT NULL,
  skipped_count integer NOT NULL
);
CREATE INDEX invitee_import_batches_tenant_time_idx ON invitee_import_batches (tenant_id, created_at DESC, id DESC);
SELECT enable_tenant_isolation('invitee_import_batches');
REVOKE UPDATE, DELETE, TRUNCATE ON invitee_import_batches FROM "$app_role$";

ALTER TABLE invitees ADD CONSTRAINT invitees_import_batch_fk FOREIGN KEY (import_batch_id) REFERENCES invitee_import_batches(id);

-- GDPR per tenant: legal basis and purpose shown on public pages, and the retention period after which the
-- campaign's personal data is purged. No row = the platform's defaults (Features/Invitees/Privacy.cs).
CREATE TABLE invitee_privacy_settings (
  tenant_id text PRIMARY KEY REFERENCES tenants(id),
  legal_basis text NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 4000),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 4000),
  retention_months integer NOT NULL CHECK (retention_months BETWEEN 1 AND 120),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_purge_at timestamptz
);
SELECT enable_tenant_isolation('invitee_privacy_settings');
REVOKE DELETE, TRUNCATE ON invitee_privacy_settings FROM "$app_role$";
