-- The e-mail outbox (owned by Features/Email): every e-mail is a row first, sent by the sender job.
-- Contract for other features: enqueue through Features/Email/Outbox.cs; columns may be added, not removed.
CREATE TABLE email_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants(id),
  kind text NOT NULL,                   -- invitation, confirmation, reminder, …, user_invitation, password_reset
  idempotency_key text NOT NULL,        -- e.g. invitation id + kind + schedule version: enqueueing twice adds nothing
  invitation_id uuid,                   -- recipient when an invitee
  user_id text,                         -- recipient when a platform user
  to_address text NOT NULL,
  due_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,   -- what the template needs beyond the recipient row (links, ids)
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  locked_until timestamptz,
  message_id text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX email_outbox_due_idx ON email_outbox(due_at) WHERE status = 'pending';
CREATE INDEX email_outbox_invitation_idx ON email_outbox(invitation_id) WHERE invitation_id IS NOT NULL;
SELECT enable_tenant_isolation('email_outbox');
