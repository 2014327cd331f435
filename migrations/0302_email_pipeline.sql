-- The e-mail pipeline (owned by Features/Email): retries, per-tenant templates, and the sender's claim.

ALTER TABLE email_outbox
  ADD COLUMN webcast_id uuid,                 -- the webcast a message is about (schedules recompute by it)
  ADD COLUMN language text NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
  ADD COLUMN next_attempt_at timestamptz,     -- after a temporary failure (backoff); null = due_at
  ADD COLUMN permanent_failure boolean NOT NULL DEFAULT false,  -- failed for good (e.g. 5xx: no such mailbox)
  ADD COLUMN claimed_by text,                 -- the sender process that holds the lease (locked_until)
  ADD COLUMN eml_path text;                   -- where the embedded transport wrote the message (no SMTP configured)

CREATE INDEX email_outbox_ready_idx ON email_outbox ((coalesce(next_attempt_at, due_at)), id) WHERE status = 'pending';
CREATE INDEX email_outbox_lease_idx ON email_outbox (locked_until) WHERE status = 'sending';
CREATE INDEX email_outbox_tenant_list_idx ON email_outbox (tenant_id, created_at DESC, id DESC);
CREATE INDEX email_outbox_webcast_idx ON email_outbox (webcast_id) WHERE webcast_id IS NOT NULL;

-- Per-tenant template overrides (Liquid, rendered by Fluid in a sandbox). No row = the built-in default.
CREATE TABLE email_templates (
  tenant_id text NOT NULL REFERENCES tenants(id),
  kind text NOT NULL,
  language text NOT NULL CHECK (language IN ('sv', 'en')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text,
  PRIMARY KEY (tenant_id, kind, language)
);
SELECT enable_tenant_isolation('email_templates');

-- The sender claims due messages of every tenant at once. Row-level security hides other tenants' rows from
-- the application role, so the claim is a SECURITY DEFINER function owned by a role that never logs in and
-- whose only policy lets it see and lease outbox rows. It returns ids and tenant ids only: the sender then
-- reads, renders and marks each message inside that message's tenant scope, like every other query.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$app_role$_sender') THEN
    CREATE ROLE "$app_role$_sender" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;
GRANT "$app_role$_sender" TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO "$app_role$_sender";
GRANT SELECT, UPDATE ON email_outbox TO "$app_role$_sender";
CREATE POLICY sender_lease ON email_outbox TO "$app_role$_sender" USING (true) WITH CHECK (true);

-- Leases up to batch_size due messages (pending and due, or sending with an expired lease — a sender that
-- died): status 'sending', locked_until = now + lease, attempts + 1. SKIP LOCKED: two senders never lease
-- the same row.
CREATE FUNCTION email_outbox_claim(batch_size integer, lease_seconds integer, worker text)
  RETURNS TABLE (id bigint, tenant_id text)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  WITH ready AS (
    SELECT o.id FROM email_outbox o
     WHERE o.status = 'pending' AND coalesce(o.next_attempt_at, o.due_at) <= now()
     ORDER BY coalesce(o.next_attempt_at, o.due_at), o.id
     LIMIT batch_size FOR UPDATE SKIP LOCKED
  ), expired AS (
    SELECT o.id FROM email_outbox o
     WHERE o.status = 'sending' AND o.locked_until < now()
     ORDER BY o.locked_until
     LIMIT batch_size FOR UPDATE SKIP LOCKED
  ), due AS (
    SELECT id FROM expired UNION ALL SELECT id FROM ready
  ), leased AS (
    UPDATE email_outbox o
       SET status = 'sending', locked_until = now() + make_interval(secs => lease_seconds),
           attempts = o.attempts + 1, claimed_by = worker, updated_at = now()
      FROM (SELECT due.id FROM due LIMIT batch_size) d
     WHERE o.id = d.id
    RETURNING o.id, o.tenant_id
  )
  SELECT leased.id, leased.tenant_id FROM leased ORDER BY leased.id
$$;
-- A new owner needs CREATE on the schema at the moment of the change only.
GRANT CREATE ON SCHEMA public TO "$app_role$_sender";
ALTER FUNCTION email_outbox_claim(integer, integer, text) OWNER TO "$app_role$_sender";
REVOKE CREATE ON SCHEMA public FROM "$app_role$_sender";
REVOKE ALL ON FUNCTION email_outbox_claim(integer, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION email_outbox_claim(integer, integer, text) TO "$app_role$";
