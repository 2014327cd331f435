-- E-mail to accounts without a tenant (SystemAdmin, NationalViewer): their invitations and password resets.
-- Global on purpose (docs/decisions/0015): the tenant outbox is per tenant and these accounts have none; like
-- "AspNetUsers" (global), it holds only platform accounts' addresses. Sent by Features/Email/PlatformOutbox.cs with
-- the same templates, composer and transport as the tenant outbox.
CREATE TABLE platform_email_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('user_invitation', 'password_reset')),
  idempotency_key text NOT NULL UNIQUE,
  user_id text NOT NULL,
  to_address text NOT NULL,
  language text NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,   -- the link (a single-use token): deleted with the row a week after sending
  due_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  locked_until timestamptz,
  claimed_by text,
  message_id text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX platform_email_outbox_ready_idx ON platform_email_outbox ((coalesce(next_attempt_at, due_at)), id) WHERE status = 'pending';
CREATE INDEX platform_email_outbox_lease_idx ON platform_email_outbox (locked_until) WHERE status = 'sending';
