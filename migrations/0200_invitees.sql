-- Invitees: the leaders a county board wants to reach (owned by Features/Invitees).
-- Contract for other features: columns here may be added to, never renamed or removed.
CREATE TABLE invitees (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  first_name text,                      -- null once erased
  last_name text,                       -- null once erased
  email text,                           -- as entered, trimmed; null once erased
  email_normalized text,                -- trimmed + lower-cased (IDN domain in Unicode); null once erased
  person_key text NOT NULL,             -- stable pseudonymous key of the normalised e-mail; survives erasure,
                                        -- so reach counts a person once per tenant and nationally
  municipality_code text REFERENCES municipalities(code),  -- null = the county board itself
  role_category text NOT NULL DEFAULT 'ovrig'
    CHECK (role_category IN ('fortroendevald', 'kommunledning', 'forvaltningschef', 'lansstyrelsens_ledning', 'ovrig')),
  title text,
  phone text,
  tags text[] NOT NULL DEFAULT '{}',
  notes text,
  source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'import', 'nomination')),
  import_batch_id uuid,
  nominated_by text,                    -- user id of the MunicipalUser who nominated
  no_longer_in_office boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'opted_out', 'erased')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  opted_out_at timestamptz,
  erased_at timestamptz
);
CREATE UNIQUE INDEX invitees_tenant_email_uq ON invitees(tenant_id, email_normalized) WHERE email_normalized IS NOT NULL;
CREATE INDEX invitees_tenant_municipality_idx ON invitees(tenant_id, municipality_code);
CREATE INDEX invitees_person_key_idx ON invitees(person_key);
SELECT enable_tenant_isolation('invitees');
