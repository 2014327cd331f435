-- Rotation of the OpenID Connect keys (docs/decisions/0016): a new key is published at once but signs and
-- encrypts only from activates_at, when every instance has re-read the table; the old one stays published until
-- retired_at.
ALTER TABLE oidc_keys ADD COLUMN activates_at timestamptz NOT NULL DEFAULT now();
