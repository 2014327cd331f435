-- Reach: a summary maintained in the same transaction as every write that changes it (ADR 0051), so that the
-- reports aggregate one small row per invitee and one row per webcast and municipality instead of every
-- invitation and attendance row. Definitions unchanged (docs/reach.md); the fixture tests are the proof.
--
--   reach_invitees   one row per invitee with at least one invitation: person_key, municipality, role category,
--                    invited/answered/accepted and the first reached time (what reach_invitee_facts() computed)
--   reach_webcasts   one row per webcast and invitee municipality ('' = the county board): invitations that are
--                    invited/answered/accepted/attended, and accepted without an attendance that counts
--   reach_dirty      the keys a transaction changed (transient: written by statement triggers on the source tables,
--                    consumed and deleted by one deferred trigger per tenant at commit)
--
-- Why deferred: the summary is recomputed at commit, after all of the transaction's statements, under a per-tenant
-- advisory lock, each statement with a fresh snapshot. Two writers of the same tenant therefore recompute one after
-- the other and the second sees the first's committed rows (no lost update), and the lock is taken when the
-- transaction holds every other lock it will need (no deadlock with the writers' own row locks).

CREATE TABLE reach_invitees (
  tenant_id text NOT NULL REFERENCES tenants(id),
  invitee_id uuid PRIMARY KEY,
  person_key text NOT NULL,
  municipality_code text,
  role_category text NOT NULL,
  invited boolean NOT NULL,
  answered boolean NOT NULL,
  accepted boolean NOT NULL,
  first_reached_at timestamptz
);
CREATE INDEX reach_invitees_tenant_idx ON reach_invitees(tenant_id, municipality_code);
SELECT enable_tenant_isolation('reach_invitees');

CREATE TABLE reach_webcasts (
  tenant_id text NOT NULL REFERENCES tenants(id),
  webcast_id uuid NOT NULL,
  municipality_code text NOT NULL,           -- '' = invitees of the county board itself
  invited integer NOT NULL,
  answered integer NOT NULL,
  accepted integer NOT NULL,
  attended integer NOT NULL,                 -- with an attendance that counts
  accepted_absent integer NOT NULL,          -- accepted without an attendance that counts (no-shows once ended)
  PRIMARY KEY (webcast_id, municipality_code)
);
CREATE INDEX reach_webcasts_tenant_idx ON reach_webcasts(tenant_id);
SELECT enable_tenant_isolation('reach_webcasts');

CREATE TABLE reach_dirty (
  txid bigint NOT NULL,                      -- txid_current() of the writing transaction
  tenant_id text NOT NULL REFERENCES tenants(id),
  kind "char" NOT NULL CHECK (kind IN ('i', 'w', 't', 'f')),  -- invitee, webcast, whole tenant, flush marker
  id uuid
);
CREATE INDEX reach_dirty_txid_idx ON reach_dirty(txid, tenant_id, kind);
CREATE UNIQUE INDEX reach_dirty_flush_uq ON reach_dirty(txid, tenant_id) WHERE kind = 'f';
SELECT enable_tenant_isolation('reach_dirty');

-- Recomputes the summary rows of one tenant for the keys the transaction p_txid queued (or all of them).
CREATE FUNCTION reach_refresh(p_tenant text, p_txid bigint, p_whole boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  th integer;
  whole boolean := p_whole;
  nestloop text := current_setting('enable_nestloop');
  inv uuid[];
  wcs uuid[];
BEGIN
  SELECT s.attendance_threshold_minutes INTO th FROM tenant_settings s WHERE s.tenant_id = p_tenant;
  IF NOT whole THEN
    whole := EXISTS (SELECT FROM reach_dirty d WHERE d.txid = p_txid AND d.tenant_id = p_tenant AND d.kind = 't');
  END IF;
  IF NOT whole THEN
    inv := ARRAY(SELECT DISTINCT d.id FROM reach_dirty d WHERE d.txid = p_txid AND d.tenant_id = p_tenant AND d.kind = 'i');
    wcs := ARRAY(SELECT DISTINCT d.id FROM reach_dirty d WHERE d.txid = p_txid AND d.tenant_id = p_tenant AND d.kind = 'w');
    -- Bulk changes (imports, seeding) recompute the tenant in one pass of hash joins instead of per key.
    whole := cardinality(inv) > 2000 OR cardinality(wcs) > 40;
  END IF;

  IF whole THEN
    PERFORM set_config('enable_nestloop', 'off', true);
    DELETE FROM reach_invitees r WHERE r.tenant_id = p_tenant;
    INSERT INTO reach_invitees (tenant_id, invitee_id, person_key, municipality_code, role_category,
                                invited, answered, accepted, first_reached_at)
    SELECT i.tenant_id, i.id, i.person_key, i.municipality_code, i.role_category,
           bool_or(v.status <> 'created' OR v.sent_at IS NOT NULL OR c.invitation_id IS NOT NULL),
           bool_or(v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent') OR v.responded_at IS NOT NULL
                   OR c.invitation_id IS NOT NULL),
           bool_or(v.status IN ('accepted', 'attended', 'absent') OR c.invitation_id IS NOT NULL),
           min(w.starts_at) FILTER (WHERE c.invitation_id IS NOT NULL)
    FROM invitees i
    JOIN invitations v ON v.invitee_id = i.id AND v.tenant_id = p_tenant
    JOIN webcasts w ON w.id = v.webcast_id AND w.tenant_id = p_tenant
    LEFT JOIN (SELECT DISTINCT a.invitation_id FROM attendance a
               WHERE a.tenant_id = p_tenant AND (a.source = 'tracked_link' OR a.minutes >= th)) c ON c.invitation_id = v.id
    WHERE i.tenant_id = p_tenant
    GROUP BY i.id;

    DELETE FROM reach_webcasts r WHERE r.tenant_id = p_tenant;
    INSERT INTO reach_webcasts (tenant_id, webcast_id, municipality_code, invited, answered, accepted, attended, accepted_absent)
    SELECT p_tenant, v.webcast_id, coalesce(i.municipality_code, ''),
           count(*) FILTER (WHERE v.status <> 'created' OR v.sent_at IS NOT NULL OR c.invitation_id IS NOT NULL),
           count(*) FILTER (WHERE v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent')
                            OR v.responded_at IS NOT NULL OR c.invitation_id IS NOT NULL),
           count(*) FILTER (WHERE v.status IN ('accepted', 'attended', 'absent') OR c.invitation_id IS NOT NULL),
           count(c.invitation_id),
           count(*) FILTER (WHERE v.status IN ('accepted', 'attended', 'absent') AND c.invitation_id IS NULL)
    FROM invitations v
    JOIN invitees i ON i.id = v.invitee_id AND i.tenant_id = p_tenant
    LEFT JOIN (SELECT DISTINCT a.invitation_id FROM attendance a
               WHERE a.tenant_id = p_tenant AND (a.source = 'tracked_link' OR a.minutes >= th)) c ON c.invitation_id = v.id
    WHERE v.tenant_id = p_tenant
    GROUP BY v.webcast_id, coalesce(i.municipality_code, '');
    PERFORM set_config('enable_nestloop', nestloop, true);
    RETURN;
  END IF;

  IF cardinality(inv) > 0 THEN
    DELETE FROM reach_invitees r WHERE r.invitee_id = ANY (inv);
    INSERT INTO reach_invitees (tenant_id, invitee_id, person_key, municipality_code, role_category,
                                invited, answered, accepted, first_reached_at)
    SELECT i.tenant_id, i.id, i.person_key, i.municipality_code, i.role_category,
           bool_or(v.status <> 'created' OR v.sent_at IS NOT NULL OR c.counts),
           bool_or(v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent') OR v.responded_at IS NOT NULL OR c.counts),
           bool_or(v.status IN ('accepted', 'attended', 'absent') OR c.counts),
           min(w.starts_at) FILTER (WHERE c.counts)
    FROM invitees i
    JOIN invitations v ON v.invitee_id = i.id
    JOIN webcasts w ON w.id = v.webcast_id
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT FROM attendance a WHERE a.invitation_id = v.id
                                       AND (a.source = 'tracked_link' OR a.minutes >= th)) AS counts) c
    WHERE i.id = ANY (inv) AND i.tenant_id = p_tenant
    GROUP BY i.id;
  END IF;

  IF cardinality(wcs) > 0 THEN
    DELETE FROM reach_webcasts r WHERE r.webcast_id = ANY (wcs);
    INSERT INTO reach_webcasts (tenant_id, webcast_id, municipality_code, invited, answered, accepted, attended, accepted_absent)
    SELECT p_tenant, v.webcast_id, coalesce(i.municipality_code, ''),
           count(*) FILTER (WHERE v.status <> 'created' OR v.sent_at IS NOT NULL OR c.counts),
           count(*) FILTER (WHERE v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent')
                            OR v.responded_at IS NOT NULL OR c.counts),
           count(*) FILTER (WHERE v.status IN ('accepted', 'attended', 'absent') OR c.counts),
           count(*) FILTER (WHERE c.counts),
           count(*) FILTER (WHERE v.status IN ('accepted', 'attended', 'absent') AND NOT c.counts)
    FROM invitations v
    JOIN invitees i ON i.id = v.invitee_id
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT FROM attendance a WHERE a.invitation_id = v.id
                                       AND (a.source = 'tracked_link' OR a.minutes >= th)) AS counts) c
    WHERE v.webcast_id = ANY (wcs) AND v.tenant_id = p_tenant
    GROUP BY v.webcast_id, coalesce(i.municipality_code, '');
  END IF;
END
$$;

-- The deferred flush: once per tenant and transaction, at commit (constraint trigger on the 'f' marker row).
CREATE FUNCTION reach_flush() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  previous text := current_setting('app.tenant_id', true);
BEGIN
  IF NEW.txid <> txid_current() THEN RETURN NULL; END IF;   -- a row not written by this transaction (tests)
  PERFORM set_config('app.tenant_id', NEW.tenant_id, true);
  PERFORM pg_advisory_xact_lock(hashtextextended('vvd.reach_summary:' || NEW.tenant_id, 0));
  PERFORM reach_refresh(NEW.tenant_id, NEW.txid);
  DELETE FROM reach_dirty d WHERE d.txid = NEW.txid AND d.tenant_id = NEW.tenant_id;
  PERFORM set_config('app.tenant_id', coalesce(previous, ''), true);
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER reach_flush AFTER INSERT ON reach_dirty DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.kind = 'f') EXECUTE FUNCTION reach_flush();

-- Statement triggers on the source tables (read-only use of other features' tables: they only queue keys).
-- Each queues its keys and one flush marker per tenant in one INSERT; only markers can conflict (partial index).
CREATE FUNCTION reach_attendance_changed() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), v.tenant_id, 'i', v.invitee_id FROM (SELECT DISTINCT invitation_id FROM new_rows) n JOIN invitations v ON v.id = n.invitation_id
    UNION SELECT txid_current(), v.tenant_id, 'w', v.webcast_id FROM (SELECT DISTINCT invitation_id FROM new_rows) n JOIN invitations v ON v.id = n.invitation_id
    UNION SELECT txid_current(), n.tenant_id, 'f', NULL FROM new_rows n
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), v.tenant_id, 'i', v.invitee_id FROM (SELECT DISTINCT invitation_id FROM old_rows) o JOIN invitations v ON v.id = o.invitation_id
    UNION SELECT txid_current(), v.tenant_id, 'w', v.webcast_id FROM (SELECT DISTINCT invitation_id FROM old_rows) o JOIN invitations v ON v.id = o.invitation_id
    UNION SELECT txid_current(), o.tenant_id, 'f', NULL FROM old_rows o
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION reach_invitations_changed() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), n.tenant_id, 'i', n.invitee_id FROM new_rows n
    UNION SELECT txid_current(), n.tenant_id, 'w', n.webcast_id FROM new_rows n
    UNION SELECT txid_current(), n.tenant_id, 'f', NULL FROM new_rows n
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), o.tenant_id, 'i', o.invitee_id FROM old_rows o
    UNION SELECT txid_current(), o.tenant_id, 'w', o.webcast_id FROM old_rows o
    UNION SELECT txid_current(), o.tenant_id, 'f', NULL FROM old_rows o
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

-- Invitees: only a change of what the summary holds (person key, municipality, role category) or a deletion.
-- Erasure keeps all three, so an erased invitee's figures stay as they were.
CREATE FUNCTION reach_invitees_changed() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    WITH c AS (
      SELECT n.tenant_id, n.id, o.municipality_code IS DISTINCT FROM n.municipality_code AS moved
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.person_key, o.municipality_code, o.role_category) IS DISTINCT FROM (n.person_key, n.municipality_code, n.role_category)
        AND EXISTS (SELECT FROM reach_invitees r WHERE r.invitee_id = n.id)
    )
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), c.tenant_id, 'i', c.id FROM c
    UNION SELECT txid_current(), v.tenant_id, 'w', v.webcast_id FROM c JOIN invitations v ON v.invitee_id = c.id WHERE c.moved
    UNION SELECT txid_current(), c.tenant_id, 'f', NULL FROM c
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  ELSE
    WITH c AS (SELECT o.tenant_id, o.id FROM old_rows o WHERE EXISTS (SELECT FROM reach_invitees r WHERE r.invitee_id = o.id))
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), c.tenant_id, 'i', c.id FROM c
    UNION SELECT txid_current(), c.tenant_id, 'f', NULL FROM c
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

-- Webcasts: a new start time moves first-reached dates; a deleted webcast loses its rows.
CREATE FUNCTION reach_webcasts_changed() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    WITH c AS (
      SELECT v.tenant_id, v.invitee_id FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN invitations v ON v.webcast_id = n.id
      WHERE o.starts_at IS DISTINCT FROM n.starts_at
    )
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), c.tenant_id, 'i', c.invitee_id FROM c
    UNION SELECT txid_current(), c.tenant_id, 'f', NULL FROM c
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  ELSE
    INSERT INTO reach_dirty (txid, tenant_id, kind, id)
    SELECT txid_current(), o.tenant_id, 'w', o.id FROM old_rows o
    UNION SELECT txid_current(), o.tenant_id, 'f', NULL FROM old_rows o
    ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

-- The tenant's attendance threshold decides which attendance counts: a change recomputes the whole tenant.
CREATE FUNCTION reach_settings_changed() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO reach_dirty (txid, tenant_id, kind)
  SELECT txid_current(), n.tenant_id, k.kind
  FROM old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id
  CROSS JOIN (VALUES ('t'::"char"), ('f'::"char")) k(kind)
  WHERE o.attendance_threshold_minutes IS DISTINCT FROM n.attendance_threshold_minutes
  ON CONFLICT (txid, tenant_id) WHERE kind = 'f' DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER reach_attendance_inserted AFTER INSERT ON attendance REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_attendance_changed();
CREATE TRIGGER reach_attendance_updated AFTER UPDATE ON attendance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_attendance_changed();
CREATE TRIGGER reach_attendance_deleted AFTER DELETE ON attendance REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_attendance_changed();
CREATE TRIGGER reach_invitations_inserted AFTER INSERT ON invitations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_invitations_changed();
CREATE TRIGGER reach_invitations_updated AFTER UPDATE ON invitations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_invitations_changed();
CREATE TRIGGER reach_invitations_deleted AFTER DELETE ON invitations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_invitations_changed();
CREATE TRIGGER reach_invitees_updated AFTER UPDATE ON invitees REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_invitees_changed();
CREATE TRIGGER reach_invitees_deleted AFTER DELETE ON invitees REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_invitees_changed();
CREATE TRIGGER reach_webcasts_updated AFTER UPDATE ON webcasts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_webcasts_changed();
CREATE TRIGGER reach_webcasts_deleted AFTER DELETE ON webcasts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_webcasts_changed();
CREATE TRIGGER reach_settings_updated AFTER UPDATE ON tenant_settings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION reach_settings_changed();

REVOKE EXECUTE ON FUNCTION reach_refresh(text, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_refresh(text, bigint, boolean) TO "$app_role$";

-- The summary of the data already there, tenant by tenant (row-level security is forced on the owner too).
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT id FROM tenants ORDER BY id LOOP
    PERFORM set_config('app.tenant_id', t.id, true);
    PERFORM reach_refresh(t.id, txid_current(), true);
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;

-- The report functions read the summary. Same sections and columns as migration 0500.
CREATE OR REPLACE FUNCTION reach_county_figures(p_now timestamptz, p_municipality text DEFAULT NULL)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE sql STABLE
SET jit = off
AS $$
  WITH f AS MATERIALIZED (
    SELECT x.tenant_id, x.person_key, x.municipality_code, x.role_category, x.invited, x.answered, x.accepted, x.first_reached_at
    FROM reach_invitees x
    WHERE x.tenant_id = current_tenant_id() AND (p_municipality IS NULL OR x.municipality_code = p_municipality)
  ),
  p AS MATERIALIZED (
    SELECT person_key, bool_or(invited) AS invited, bool_or(answered) AS answered, bool_or(accepted) AS accepted,
           min(first_reached_at) AS first_reached_at
    FROM f GROUP BY person_key
  ),
  settings AS (SELECT tenant_id, reach_target FROM tenant_settings WHERE tenant_id = current_tenant_id())
  SELECT 'total', NULL, NULL, NULL::timestamptz,
         count(*) FILTER (WHERE invited), count(*) FILTER (WHERE answered), count(*) FILTER (WHERE accepted),
         count(*) FILTER (WHERE first_reached_at IS NOT NULL), NULL::bigint,
         count(*) FILTER (WHERE first_reached_at > p_now - interval '28 days' AND first_reached_at <= p_now),
         (SELECT reach_target FROM settings),
         (SELECT count(*)::int FROM municipalities m WHERE m.county_code = current_tenant_id()),
         (SELECT count(DISTINCT f.municipality_code)::int FROM f
            JOIN municipalities m ON m.code = f.municipality_code AND m.county_code = f.tenant_id
          WHERE f.first_reached_at IS NOT NULL)
  FROM p
  UNION ALL
  SELECT 'municipality', coalesce(municipality_code, ''), NULL, NULL,
         count(DISTINCT person_key) FILTER (WHERE invited), NULL, count(DISTINCT person_key) FILTER (WHERE accepted),
         count(DISTINCT person_key) FILTER (WHERE first_reached_at IS NOT NULL), NULL, NULL, NULL, NULL, NULL
  FROM f GROUP BY municipality_code
  UNION ALL
  SELECT 'role', role_category, NULL, NULL,
         count(DISTINCT person_key) FILTER (WHERE invited), NULL, count(DISTINCT person_key) FILTER (WHERE accepted),
         count(DISTINCT person_key) FILTER (WHERE first_reached_at IS NOT NULL), NULL, NULL, NULL, NULL, NULL
  FROM f GROUP BY role_category
  UNION ALL
  SELECT 'webcast', w.id::text, w.title, w.starts_at,
         coalesce(c.invited, 0), coalesce(c.answered, 0), coalesce(c.accepted, 0), coalesce(c.attended, 0),
         CASE WHEN w.starts_at + make_interval(mins => w.duration_minutes) <= p_now THEN coalesce(c.accepted_absent, 0) END,
         NULL, NULL, NULL, NULL
  FROM webcasts w
  LEFT JOIN (
    SELECT r.webcast_id, sum(r.invited)::bigint AS invited, sum(r.answered)::bigint AS answered, sum(r.accepted)::bigint AS accepted,
           sum(r.attended)::bigint AS attended, sum(r.accepted_absent)::bigint AS accepted_absent
    FROM reach_webcasts r
    WHERE r.tenant_id = current_tenant_id() AND (p_municipality IS NULL OR r.municipality_code = p_municipality)
    GROUP BY r.webcast_id
  ) c ON c.webcast_id = w.id
  WHERE w.tenant_id = current_tenant_id() AND (w.status <> 'draft' OR c.webcast_id IS NOT NULL)
  UNION ALL
  SELECT 'day', to_char((first_reached_at AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD'), NULL, NULL,
         NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
  FROM p WHERE first_reached_at IS NOT NULL
  GROUP BY 2
$$;

CREATE OR REPLACE FUNCTION reach_national_figures(p_now timestamptz)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET jit = off
SET work_mem = '64MB'
AS $$
  WITH f AS MATERIALIZED (
    SELECT x.tenant_id, x.person_key, x.municipality_code, x.role_category, x.invited, x.answered, x.accepted, x.first_reached_at
    FROM reach_invitees x
  ),
  tp AS MATERIALIZED (   -- persons per tenant
    SELECT tenant_id, person_key, bool_or(invited) AS invited, bool_or(answered) AS answered,
           bool_or(accepted) AS accepted, min(first_reached_at) AS first_reached_at
    FROM f GROUP BY tenant_id, person_key
  ),
  p AS MATERIALIZED (    -- persons nationally
    SELECT person_key, bool_or(invited) AS invited, bool_or(answered) AS answered, bool_or(accepted) AS accepted,
           min(first_reached_at) AS first_reached_at
    FROM tp GROUP BY person_key
  ),
  covered AS (
    SELECT DISTINCT f.tenant_id, f.municipality_code FROM f
    JOIN municipalities m ON m.code = f.municipality_code AND m.county_code = f.tenant_id
    WHERE f.first_reached_at IS NOT NULL
  ),
  per_county AS (
    SELECT tenant_id, count(*) FILTER (WHERE invited) AS invited, count(*) FILTER (WHERE answered) AS answered,
           count(*) FILTER (WHERE accepted) AS accepted, count(*) FILTER (WHERE first_reached_at IS NOT NULL) AS reached,
           count(*) FILTER (WHERE first_reached_at > p_now - interval '28 days' AND first_reached_at <= p_now) AS recent
    FROM tp GROUP BY tenant_id
  ),
  per_municipality AS (
    SELECT municipality_code, count(DISTINCT person_key) FILTER (WHERE invited) AS invited,
           count(DISTINCT person_key) FILTER (WHERE accepted) AS accepted,
           count(DISTINCT person_key) FILTER (WHERE first_reached_at IS NOT NULL) AS reached
    FROM f GROUP BY municipality_code
  )
  SELECT 'total', NULL, NULL, NULL::timestamptz,
         count(*) FILTER (WHERE invited), count(*) FILTER (WHERE answered), count(*) FILTER (WHERE accepted),
         count(*) FILTER (WHERE first_reached_at IS NOT NULL), NULL::bigint,
         count(*) FILTER (WHERE first_reached_at > p_now - interval '28 days' AND first_reached_at <= p_now),
         coalesce((SELECT target FROM reach_national_settings), 3000),
         (SELECT count(*)::int FROM municipalities),
         (SELECT count(DISTINCT municipality_code)::int FROM covered)
  FROM p
  UNION ALL
  SELECT 'county', t.id, NULL, NULL,
         coalesce(c.invited, 0), coalesce(c.answered, 0), coalesce(c.accepted, 0), coalesce(c.reached, 0), NULL,
         coalesce(c.recent, 0), s.reach_target,
         (SELECT count(*)::int FROM municipalities m WHERE m.county_code = t.id),
         (SELECT count(*)::int FROM covered cv WHERE cv.tenant_id = t.id)
  FROM tenants t
  LEFT JOIN tenant_settings s ON s.tenant_id = t.id
  LEFT JOIN per_county c ON c.tenant_id = t.id
  UNION ALL
  SELECT 'municipality', coalesce(m.code, pm.municipality_code, ''), NULL, NULL,
         coalesce(pm.invited, 0), NULL, coalesce(pm.accepted, 0), coalesce(pm.reached, 0), NULL, NULL, NULL, NULL, NULL
  FROM municipalities m
  FULL JOIN per_municipality pm ON pm.municipality_code = m.code
  UNION ALL
  SELECT 'role', r.role_category, NULL, NULL,
         count(DISTINCT r.person_key) FILTER (WHERE r.invited), NULL,
         count(DISTINCT r.person_key) FILTER (WHERE r.accepted),
         count(DISTINCT r.person_key) FILTER (WHERE r.first_reached_at IS NOT NULL), NULL, NULL, NULL, NULL, NULL
  FROM f r GROUP BY r.role_category
  UNION ALL
  SELECT 'day', to_char((first_reached_at AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD'), NULL, NULL,
         NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
  FROM p WHERE first_reached_at IS NOT NULL
  GROUP BY 2
$$;
ALTER FUNCTION reach_county_figures(timestamptz, text) RESET enable_nestloop;
ALTER FUNCTION reach_county_figures(timestamptz, text) RESET work_mem;
ALTER FUNCTION reach_national_figures(timestamptz) RESET enable_nestloop;

-- The definitions now live in reach_refresh(); the per-call facts function is gone.
DROP FUNCTION reach_invitee_facts();

-- National recorded series: distinct persons nationally (a person invited by two counties counts once), taken
-- with each nightly snapshot. Global table, written and read only through the reporting role's functions.
CREATE TABLE reach_national_series (
  snapshot_date date PRIMARY KEY,
  taken_at timestamptz NOT NULL,
  target integer NOT NULL,
  invited integer NOT NULL,
  answered integer NOT NULL,
  accepted integer NOT NULL,
  reached integer NOT NULL,
  municipalities_total integer NOT NULL,
  municipalities_covered integer NOT NULL
);
REVOKE ALL ON reach_national_series FROM "$app_role$";
GRANT SELECT, INSERT, UPDATE ON reach_national_series TO "$reporting_role$";

CREATE FUNCTION reach_take_national_snapshot(p_date date, p_now timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  INSERT INTO reach_national_series (snapshot_date, taken_at, target, invited, answered, accepted, reached,
                                     municipalities_total, municipalities_covered)
  SELECT p_date, p_now, target, invited, answered, accepted, reached, municipalities_total, municipalities_covered
  FROM reach_national_figures(p_now) WHERE section = 'total'
  ON CONFLICT (snapshot_date) DO UPDATE SET
    taken_at = EXCLUDED.taken_at, target = EXCLUDED.target, invited = EXCLUDED.invited, answered = EXCLUDED.answered,
    accepted = EXCLUDED.accepted, reached = EXCLUDED.reached, municipalities_total = EXCLUDED.municipalities_total,
    municipalities_covered = EXCLUDED.municipalities_covered
  RETURNING reached
$$;

DROP FUNCTION reach_national_snapshots();
CREATE FUNCTION reach_national_snapshots()
RETURNS TABLE (snapshot_date date, invited bigint, answered bigint, accepted bigint, reached bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT snapshot_date, invited, answered, accepted, reached FROM reach_national_series ORDER BY snapshot_date
$$;

GRANT CREATE ON SCHEMA public TO "$reporting_role$";
ALTER FUNCTION reach_take_national_snapshot(date, timestamptz) OWNER TO "$reporting_role$";
ALTER FUNCTION reach_national_snapshots() OWNER TO "$reporting_role$";
REVOKE CREATE ON SCHEMA public FROM "$reporting_role$";
REVOKE EXECUTE ON FUNCTION reach_take_national_snapshot(date, timestamptz), reach_national_snapshots() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_take_national_snapshot(date, timestamptz), reach_national_snapshots() TO "$app_role$";
