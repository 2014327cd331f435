-- Identity, hand-written part (Dapper, not EF): server-side sessions, the OpenID Connect server's keys,
-- and the per-tenant municipal SSO providers.

-- Users: a tenant user's tenant must exist; the role is one of the five.
ALTER TABLE "AspNetUsers"
  ADD CONSTRAINT "FK_AspNetUsers_tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES tenants(id),
  ADD CONSTRAINT "CK_AspNetUsers_Role" CHECK ("Role" IN ('SystemAdmin', 'NationalViewer', 'CountyAdmin', 'CountyEditor', 'MunicipalUser')),
  ADD CONSTRAINT "CK_AspNetUsers_Tenant" CHECK (("Role" IN ('SystemAdmin', 'NationalViewer')) = ("TenantId" IS NULL)),
  ADD CONSTRAINT "CK_AspNetUsers_Municipality" CHECK (("Role" = 'MunicipalUser') = ("MunicipalityCode" IS NOT NULL));

-- The SPA's cookie sessions (global: the cookie is read before a tenant is known). The cookie holds only
-- the session id; the authentication ticket lives here, protected with Data Protection. Sign-out deletes
-- the row, so a copied cookie is worthless afterwards; absolute_expires_at caps sliding renewal.
CREATE TABLE auth_sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES "AspNetUsers"("Id") ON DELETE CASCADE,
  ticket bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions(user_id);
CREATE INDEX auth_sessions_expires_idx ON auth_sessions(expires_at);

-- Signing and encryption keys of the OpenID Connect server and client (RSA, PEM protected with Data
-- Protection). Global: one issuer for the platform. Persisted so that every instance and every restart
-- signs and reads the same tokens.
CREATE TABLE oidc_keys (
  id text PRIMARY KEY,
  use text NOT NULL CHECK (use IN ('sig', 'enc')),
  protected_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

-- Municipal SSO: a county's external OpenID Connect providers (tenant-owned), the client secret protected
-- with Data Protection (keys in "DataProtectionKeys").
CREATE TABLE sso_providers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  issuer text NOT NULL CHECK (issuer ~ '^https?://'),
  client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 200),
  protected_client_secret text,
  is_enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT enable_tenant_isolation('sso_providers');

-- The e-mail domains a provider serves and the municipality each belongs to. A domain is unique across
-- all tenants (the unique index holds whatever row-level security hides), so home-realm discovery is
-- unambiguous.
CREATE TABLE sso_provider_domains (
  domain text PRIMARY KEY CHECK (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
  tenant_id text NOT NULL REFERENCES tenants(id),
  provider_id uuid NOT NULL REFERENCES sso_providers(id) ON DELETE CASCADE,
  municipality_code text NOT NULL REFERENCES municipalities(code)
);
CREATE INDEX sso_provider_domains_provider_idx ON sso_provider_domains(provider_id);
SELECT enable_tenant_isolation('sso_provider_domains');
