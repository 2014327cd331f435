-- Reach: national counters of distinct persons, maintained in the same flush as the summary of 0503 (ADR 0051), so the
-- national report reads a few hundred counter rows instead of aggregating every invitee's summary row.
--
--   reach_person_facts  per person_key (the pseudonymous key of the normalised e-mail, the same in every county) and
--                       scope ('' = national, else a tenant id), dimension ('t' total, 'm' municipality — '' = county
--                       board, 'r' role category) and key: the person's invited/answered/accepted flags and first reached
--                       time in that scope and group. A person invited by two counties has one national row.
--   reach_counts        per scope, dimension and key: the number of persons and of those invited/answered/accepted/reached
--   reach_counts_at     per scope and first-reached time: the number of persons first reached then (days, last 28 days)
--
-- All three are global tables holding counts and pseudonymous keys: the application role has no privilege on them;
-- only the reporting role's SECURITY DEFINER functions write and read them. A county's own counters (scope = its id)
-- are read only through reach_county_counter_figures(), which returns the rows of the transaction's tenant
-- (current_tenant_id(), the setting the row-level-security policies use) and nothing without one. Maintenance: the flush of 0503 passes the
-- person keys whose summary rows it changed to reach_national_refresh(), which replaces those persons' facts and adds
-- the difference (new − old) to the counters. The flush now takes one platform-wide advisory lock instead of one per
-- tenant, because a person's national row depends on every tenant (ADR 0051).

CREATE INDEX reach_invitees_person_key_idx ON reach_invitees(person_key);

CREATE TABLE reach_person_facts (
  person_key text NOT NULL,
  scope text NOT NULL,
  dim "char" NOT NULL,
  key text NOT NULL,
  invited boolean NOT NULL,
  answered boolean NOT NULL,
  accepted boolean NOT NULL,
  first_reached_at timestamptz
);
CREATE INDEX reach_person_facts_person_idx ON reach_person_facts(person_key);

CREATE TABLE reach_counts (
  scope text NOT NULL,
  dim "char" NOT NULL,
  key text NOT NULL,
  persons integer NOT NULL,
  invited integer NOT NULL,
  answered integer NOT NULL,
  accepted integer NOT NULL,
  reached integer NOT NULL,
  PRIMARY KEY (scope, dim, key)
);

CREATE TABLE reach_counts_at (
  scope text NOT NULL,
  at timestamptz NOT NULL,
  reached integer NOT NULL,
  PRIMARY KEY (scope, at)
);

REVOKE ALL ON reach_person_facts, reach_counts, reach_counts_at FROM "$app_role$";
GRANT SELECT, INSERT, UPDATE, DELETE ON reach_person_facts, reach_counts, reach_counts_at TO "$reporting_role$";

-- Replaces the facts of the given persons from every tenant's summary rows and adds the difference to the counters.
CREATE FUNCTION reach_national_refresh(p_keys text[])
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH keys AS MATERIALIZED (SELECT DISTINCT k AS person_key FROM unnest(p_keys) k WHERE k IS NOT NULL),
  old AS (
    DELETE FROM reach_person_facts f USING keys WHERE f.person_key = keys.person_key
    RETURNING f.person_key, f.scope, f.dim, f.key, f.invited, f.answered, f.accepted, f.first_reached_at
  ),
  inv AS MATERIALIZED (
    SELECT x.tenant_id, x.person_key, coalesce(x.municipality_code, '') AS municipality_code, x.role_category,
           x.invited, x.answered, x.accepted, x.first_reached_at
    FROM reach_invitees x JOIN keys ON keys.person_key = x.person_key
  ),
  new AS (
    SELECT person_key, ''::text AS scope, 't'::"char" AS dim, ''::text AS key, bool_or(invited) AS invited,
           bool_or(answered) AS answered, bool_or(accepted) AS accepted, min(first_reached_at) AS first_reached_at
    FROM inv GROUP BY person_key
    UNION ALL
    SELECT person_key, '', 'm', municipality_code, bool_or(invited), bool_or(answered), bool_or(accepted), min(first_reached_at)
    FROM inv GROUP BY person_key, municipality_code
    UNION ALL
    SELECT person_key, '', 'r', role_category, bool_or(invited), bool_or(answered), bool_or(accepted), min(first_reached_at)
    FROM inv GROUP BY person_key, role_category
    UNION ALL
    SELECT person_key, tenant_id, 't', '', bool_or(invited), bool_or(answered), bool_or(accepted), min(first_reached_at)
    FROM inv GROUP BY person_key, tenant_id
    UNION ALL
    SELECT person_key, tenant_id, 'm', municipality_code, bool_or(invited), bool_or(answered), bool_or(accepted), min(first_reached_at)
    FROM inv GROUP BY person_key, tenant_id, municipality_code
    UNION ALL
    SELECT person_key, tenant_id, 'r', role_category, bool_or(invited), bool_or(answered), bool_or(accepted), min(first_reached_at)
    FROM inv GROUP BY person_key, tenant_id, role_category
  ),
  inserted AS (
    INSERT INTO reach_person_facts (person_key, scope, dim, key, invited, answered, accepted, first_reached_at)
    SELECT person_key, scope, dim, key, invited, answered, accepted, first_reached_at FROM new
  ),
  diff AS MATERIALIZED (
    SELECT 1 AS sign, * FROM new
    UNION ALL
    SELECT -1, person_key, scope, dim, key, invited, answered, accepted, first_reached_at FROM old
  ),
  counted AS (
    INSERT INTO reach_counts AS c (scope, dim, key, persons, invited, answered, accepted, reached)
    SELECT scope, dim, key, sum(sign), sum(sign * invited::int), sum(sign * answered::int), sum(sign * accepted::int),
           sum(sign * (first_reached_at IS NOT NULL)::int)
    FROM diff GROUP BY scope, dim, key
    ON CONFLICT (scope, dim, key) DO UPDATE SET
      persons = c.persons + EXCLUDED.persons, invited = c.invited + EXCLUDED.invited, answered = c.answered + EXCLUDED.answered,
      accepted = c.accepted + EXCLUDED.accepted, reached = c.reached + EXCLUDED.reached
  )
  INSERT INTO reach_counts_at AS c (scope, at, reached)
  SELECT scope, first_reached_at, sum(sign) FROM diff
  WHERE dim = 't' AND first_reached_at IS NOT NULL
  GROUP BY scope, first_reached_at HAVING sum(sign) <> 0
  ON CONFLICT (scope, at) DO UPDATE SET reached = c.reached + EXCLUDED.reached
$$;

-- Everything from scratch (the migration's backfill; tests compare the maintained counters with it).
CREATE FUNCTION reach_national_rebuild()
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
  DELETE FROM reach_person_facts;
  DELETE FROM reach_counts;
  DELETE FROM reach_counts_at;
  PERFORM reach_national_refresh(ARRAY(SELECT DISTINCT person_key FROM reach_invitees));
END
$$;

-- reach_refresh() now returns the person keys whose summary rows it replaced (before and after).
DROP FUNCTION reach_refresh(text, bigint, boolean);
CREATE FUNCTION reach_refresh(p_tenant text, p_txid bigint, p_whole boolean DEFAULT false)
RETURNS text[]
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  th integer;
  whole boolean := p_whole;
  nestloop text := current_setting('enable_nestloop');
  inv uuid[];
  wcs uuid[];
  old_keys text[];
  new_keys text[];
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
    WITH d AS (DELETE FROM reach_invitees r WHERE r.tenant_id = p_tenant RETURNING r.person_key)
    SELECT array_agg(DISTINCT person_key) INTO old_keys FROM d;
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
    new_keys := ARRAY(SELECT DISTINCT r.person_key FROM reach_invitees r WHERE r.tenant_id = p_tenant);

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
    RETURN coalesce(old_keys, '{}') || new_keys;
  END IF;

  IF cardinality(inv) > 0 THEN
    WITH d AS (DELETE FROM reach_invitees r WHERE r.invitee_id = ANY (inv) RETURNING r.person_key)
    SELECT array_agg(DISTINCT person_key) INTO old_keys FROM d;
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
    new_keys := ARRAY(SELECT DISTINCT r.person_key FROM reach_invitees r WHERE r.invitee_id = ANY (inv));
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
  RETURN coalesce(old_keys, '{}') || coalesce(new_keys, '{}');
END
$$;
REVOKE EXECUTE ON FUNCTION reach_refresh(text, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_refresh(text, bigint, boolean) TO "$app_role$";

-- The flush: one platform-wide lock (a person's national facts depend on every tenant), the tenant's summary, then
-- the national facts and counters of the persons it touched.
CREATE OR REPLACE FUNCTION reach_flush() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  previous text := current_setting('app.tenant_id', true);
  keys text[];
BEGIN
  IF NEW.txid <> txid_current() THEN RETURN NULL; END IF;   -- a row not written by this transaction (tests)
  PERFORM set_config('app.tenant_id', NEW.tenant_id, true);
  PERFORM pg_advisory_xact_lock(hashtextextended('vvd.reach_summary', 0));
  keys := reach_refresh(NEW.tenant_id, NEW.txid);
  IF cardinality(keys) > 0 THEN
    PERFORM reach_national_refresh(keys);
  END IF;
  DELETE FROM reach_dirty d WHERE d.txid = NEW.txid AND d.tenant_id = NEW.tenant_id;
  PERFORM set_config('app.tenant_id', coalesce(previous, ''), true);
  RETURN NULL;
END
$$;

GRANT CREATE ON SCHEMA public TO "$reporting_role$";
ALTER FUNCTION reach_national_refresh(text[]) OWNER TO "$reporting_role$";
ALTER FUNCTION reach_national_rebuild() OWNER TO "$reporting_role$";
REVOKE CREATE ON SCHEMA public FROM "$reporting_role$";
REVOKE EXECUTE ON FUNCTION reach_national_refresh(text[]), reach_national_rebuild() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_national_refresh(text[]), reach_national_rebuild() TO "$app_role$";

SELECT reach_national_rebuild();

-- National figures from the counters: the same sections and columns as before (migration 0500).
CREATE OR REPLACE FUNCTION reach_national_figures(p_now timestamptz)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET jit = off
AS $$
  WITH covered AS MATERIALIZED (
    SELECT c.scope AS tenant_id, c.key AS municipality_code FROM reach_counts c
    JOIN municipalities m ON m.code = c.key AND m.county_code = c.scope
    WHERE c.dim = 'm' AND c.scope <> '' AND c.reached > 0
  ),
  recent AS MATERIALIZED (
    SELECT scope, sum(reached)::bigint AS recent FROM reach_counts_at
    WHERE at > p_now - interval '28 days' AND at <= p_now GROUP BY scope
  )
  SELECT 'total', NULL, NULL, NULL::timestamptz,
         coalesce(t.invited, 0)::bigint, coalesce(t.answered, 0)::bigint, coalesce(t.accepted, 0)::bigint,
         coalesce(t.reached, 0)::bigint, NULL::bigint,
         coalesce((SELECT r.recent FROM recent r WHERE r.scope = ''), 0),
         coalesce((SELECT target FROM reach_national_settings), 3000),
         (SELECT count(*)::int FROM municipalities),
         (SELECT count(DISTINCT municipality_code)::int FROM covered)
  FROM (SELECT 1) one
  LEFT JOIN reach_counts t ON t.scope = '' AND t.dim = 't' AND t.key = ''
  UNION ALL
  SELECT 'county', tn.id, NULL, NULL,
         coalesce(c.invited, 0), coalesce(c.answered, 0), coalesce(c.accepted, 0), coalesce(c.reached, 0), NULL,
         coalesce(r.recent, 0), s.reach_target,
         (SELECT count(*)::int FROM municipalities m WHERE m.county_code = tn.id),
         (SELECT count(*)::int FROM covered cv WHERE cv.tenant_id = tn.id)
  FROM tenants tn
  LEFT JOIN tenant_settings s ON s.tenant_id = tn.id
  LEFT JOIN reach_counts c ON c.scope = tn.id AND c.dim = 't' AND c.key = ''
  LEFT JOIN recent r ON r.scope = tn.id
  UNION ALL
  SELECT 'municipality', coalesce(m.code, c.key), NULL, NULL,
         coalesce(c.invited, 0), NULL, coalesce(c.accepted, 0), coalesce(c.reached, 0), NULL, NULL, NULL, NULL, NULL
  FROM municipalities m
  FULL JOIN (SELECT * FROM reach_counts WHERE scope = '' AND dim = 'm' AND persons > 0) c ON c.key = m.code
  UNION ALL
  SELECT 'role', c.key, NULL, NULL, c.invited, NULL, c.accepted, c.reached, NULL, NULL, NULL, NULL, NULL
  FROM reach_counts c WHERE c.scope = '' AND c.dim = 'r' AND c.persons > 0
  UNION ALL
  SELECT 'day', to_char((a.at AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD'), NULL, NULL,
         NULL, NULL, NULL, sum(a.reached)::bigint, NULL, NULL, NULL, NULL, NULL
  FROM reach_counts_at a WHERE a.scope = '' AND a.reached > 0
  GROUP BY 2
$$;
ALTER FUNCTION reach_national_figures(timestamptz) RESET work_mem;

-- A county's figures from its counters (the whole county; a MunicipalUser's view keeps reading reach_invitees).
-- SECURITY DEFINER: returns only the transaction's tenant (current_tenant_id()), nothing without one.
CREATE FUNCTION reach_county_counter_figures(p_now timestamptz)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET jit = off
AS $$
  WITH t AS MATERIALIZED (SELECT current_tenant_id() AS id WHERE current_tenant_id() IS NOT NULL),
  c AS MATERIALIZED (SELECT c.* FROM reach_counts c JOIN t ON c.scope = t.id WHERE c.persons > 0)
  SELECT 'total', NULL, NULL, NULL::timestamptz,
         coalesce(tot.invited, 0)::bigint, coalesce(tot.answered, 0)::bigint, coalesce(tot.accepted, 0)::bigint,
         coalesce(tot.reached, 0)::bigint, NULL::bigint,
         (SELECT coalesce(sum(a.reached), 0)::bigint FROM reach_counts_at a JOIN t ON a.scope = t.id
          WHERE a.at > p_now - interval '28 days' AND a.at <= p_now),
         (SELECT s.reach_target FROM tenant_settings s JOIN t ON s.tenant_id = t.id),
         (SELECT count(*)::int FROM municipalities m JOIN t ON m.county_code = t.id),
         (SELECT count(*)::int FROM c JOIN municipalities m ON m.code = c.key JOIN t ON m.county_code = t.id
          WHERE c.dim = 'm' AND c.reached > 0)
  FROM t LEFT JOIN c tot ON tot.dim = 't' AND tot.key = ''
  UNION ALL
  SELECT 'municipality', c.key, NULL, NULL, c.invited, NULL, c.accepted, c.reached, NULL, NULL, NULL, NULL, NULL
  FROM c WHERE c.dim = 'm'
  UNION ALL
  SELECT 'role', c.key, NULL, NULL, c.invited, NULL, c.accepted, c.reached, NULL, NULL, NULL, NULL, NULL
  FROM c WHERE c.dim = 'r'
  UNION ALL
  SELECT 'webcast', w.id::text, w.title, w.starts_at,
         coalesce(r.invited, 0), coalesce(r.answered, 0), coalesce(r.accepted, 0), coalesce(r.attended, 0),
         CASE WHEN w.starts_at + make_interval(mins => w.duration_minutes) <= p_now THEN coalesce(r.accepted_absent, 0) END,
         NULL, NULL, NULL, NULL
  FROM webcasts w
  JOIN t ON w.tenant_id = t.id
  LEFT JOIN (
    SELECT x.webcast_id, sum(x.invited)::bigint AS invited, sum(x.answered)::bigint AS answered, sum(x.accepted)::bigint AS accepted,
           sum(x.attended)::bigint AS attended, sum(x.accepted_absent)::bigint AS accepted_absent
    FROM reach_webcasts x JOIN t ON x.tenant_id = t.id
    GROUP BY x.webcast_id
  ) r ON r.webcast_id = w.id
  WHERE w.status <> 'draft' OR r.webcast_id IS NOT NULL
  UNION ALL
  SELECT 'day', to_char((a.at AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD'), NULL, NULL,
         NULL, NULL, NULL, sum(a.reached)::bigint, NULL, NULL, NULL, NULL, NULL
  FROM reach_counts_at a JOIN t ON a.scope = t.id
  WHERE a.reached > 0
  GROUP BY 2
$$;

GRANT CREATE ON SCHEMA public TO "$reporting_role$";
ALTER FUNCTION reach_county_counter_figures(timestamptz) OWNER TO "$reporting_role$";
REVOKE CREATE ON SCHEMA public FROM "$reporting_role$";
REVOKE EXECUTE ON FUNCTION reach_county_counter_figures(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_county_counter_figures(timestamptz) TO "$app_role$";

-- The county report: the whole county from its counters; a municipality's view from the tenant's summary rows
-- (row-level security, a few hundred rows). Same sections and columns as before.
CREATE OR REPLACE FUNCTION reach_county_figures(p_now timestamptz, p_municipality text DEFAULT NULL)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
SET jit = off
AS $$
BEGIN
  IF p_municipality IS NULL THEN
    RETURN QUERY SELECT * FROM reach_county_counter_figures(p_now);
    RETURN;
  END IF;
  RETURN QUERY
  WITH f AS MATERIALIZED (
    SELECT x.tenant_id, x.person_key, x.municipality_code, x.role_category, x.invited, x.answered, x.accepted, x.first_reached_at
    FROM reach_invitees x
    WHERE x.tenant_id = current_tenant_id() AND x.municipality_code = p_municipality
  ),
  p AS MATERIALIZED (
    SELECT f.person_key, bool_or(f.invited) AS invited, bool_or(f.answered) AS answered, bool_or(f.accepted) AS accepted,
           min(f.first_reached_at) AS first_reached_at
    FROM f GROUP BY f.person_key
  )
  SELECT 'total'::text, NULL::text, NULL::text, NULL::timestamptz,
         count(*) FILTER (WHERE p.invited), count(*) FILTER (WHERE p.answered), count(*) FILTER (WHERE p.accepted),
         count(*) FILTER (WHERE p.first_reached_at IS NOT NULL), NULL::bigint,
         count(*) FILTER (WHERE p.first_reached_at > p_now - interval '28 days' AND p.first_reached_at <= p_now),
         (SELECT s.reach_target FROM tenant_settings s WHERE s.tenant_id = current_tenant_id()),
         (SELECT count(*)::int FROM municipalities m WHERE m.county_code = current_tenant_id()),
         (SELECT count(DISTINCT f.municipality_code)::int FROM f
            JOIN municipalities m ON m.code = f.municipality_code AND m.county_code = f.tenant_id
          WHERE f.first_reached_at IS NOT NULL)
  FROM p
  UNION ALL
  SELECT 'municipality', coalesce(f.municipality_code, ''), NULL, NULL,
         count(DISTINCT f.person_key) FILTER (WHERE f.invited), NULL, count(DISTINCT f.person_key) FILTER (WHERE f.accepted),
         count(DISTINCT f.person_key) FILTER (WHERE f.first_reached_at IS NOT NULL), NULL, NULL, NULL, NULL, NULL
  FROM f GROUP BY f.municipality_code
  UNION ALL
  SELECT 'role', f.role_category, NULL, NULL,
         count(DISTINCT f.person_key) FILTER (WHERE f.invited), NULL, count(DISTINCT f.person_key) FILTER (WHERE f.accepted),
         count(DISTINCT f.person_key) FILTER (WHERE f.first_reached_at IS NOT NULL), NULL, NULL, NULL, NULL, NULL
  FROM f GROUP BY f.role_category
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
    WHERE r.tenant_id = current_tenant_id() AND r.municipality_code = p_municipality
    GROUP BY r.webcast_id
  ) c ON c.webcast_id = w.id
  WHERE w.tenant_id = current_tenant_id() AND (w.status <> 'draft' OR c.webcast_id IS NOT NULL)
  UNION ALL
  SELECT 'day', to_char((p.first_reached_at AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD'), NULL, NULL,
         NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
  FROM p WHERE p.first_reached_at IS NOT NULL
  GROUP BY 2;
END
$$;
REVOKE EXECUTE ON FUNCTION reach_county_figures(timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_county_figures(timestamptz, text) TO "$app_role$", "$reporting_role$";
