-- One-round-trip reads. The application sends `CALL read_as_tenant('03'); SELECT …` as one batch: without an
-- explicit BEGIN the batch runs in one implicit transaction, so the transaction-local tenant setting and the
-- read-only flag hold for exactly that batch (safe with pooling) and no COMMIT/ROLLBACK round trip is needed.
-- An empty tenant means no tenant: only global tables are visible.
CREATE PROCEDURE read_as_tenant(tenant text)
  LANGUAGE sql
  AS $$
    SELECT set_config('app.tenant_id', tenant, true);
    SELECT set_config('transaction_read_only', 'on', true);
  $$;
GRANT EXECUTE ON PROCEDURE read_as_tenant(text) TO "$app_role$";
