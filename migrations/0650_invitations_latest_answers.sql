-- The county dashboard's "latest answers" (GET /api/invitations/latest-answers): newest answers first, per tenant.
CREATE INDEX IF NOT EXISTS invitations_tenant_responded_idx ON invitations (tenant_id, responded_at DESC) WHERE responded_at IS NOT NULL;
