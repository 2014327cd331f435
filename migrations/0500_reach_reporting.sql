-- Reach reporting (owned by Features/Reach). Definitions: docs/reach.md and ADR 0050.
--
--   reached leader = a distinct person (invitees.person_key) with at least one attendance that counts:
--                    minutes >= the tenant's attendance_threshold_minutes, or a tracked join
--                    (attendance.source = 'tracked_link', minutes may be null).
--                    Counted once per tenant and once nationally; erased and opted-out invitees still count
--                    (person_key survives erasure).
--   reached at     = the start of the first webcast with an attendance that counts.
--
-- County figures: reach_county_figures() runs as the caller (SECURITY INVOKER), so row-level security
-- limits it to the tenant of the unit of work. National figures: reach_national_figures() is SECURITY
-- DEFINER, owned by the reporting role (the only role whose policy reads every tenant) and returns counts.

-- The national target (global: at most one row; none = 3,000). Configurable by SystemAdmin.
CREATE TABLE reach_national_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  target integer NOT NULL DEFAULT 3000 CHECK (target BETWEEN 1 AND 1000000),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
INSERT INTO reach_national_settings (id) VALUES (true);
REVOKE DELETE, TRUNCATE ON reach_national_settings FROM "$app_role$";

-- Nightly snapshot of each tenant's figures: feeds the recorded time series (invited/accepted over time).
CREATE TABLE reach_snapshots (
  tenant_id text NOT NULL REFERENCES tenants(id),
  snapshot_date date NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(),
  target integer NOT NULL,
  invited integer NOT NULL,
  answered integer NOT NULL,
  accepted integer NOT NULL,
  reached integer NOT NULL,
  municipalities_total integer NOT NULL,
  municipalities_covered integer NOT NULL,
  PRIMARY KEY (tenant_id, snapshot_date)
);
SELECT enable_tenant_isolation('reach_snapshots');
REVOKE DELETE, TRUNCATE ON reach_snapshots FROM "$app_role$";

-- Helps the attendance → invitation → invitee joins of the reports (read-only use of others' tables).
CREATE INDEX reach_attendance_invitation_idx ON attendance(invitation_id) INCLUDE (source, minutes, tenant_id);
CREATE INDEX reach_invitations_invitee_idx ON invitations(invitee_id) INCLUDE (webcast_id, status, tenant_id);

-- One row per invitee that has at least one invitation: the facts every figure is counted from.
-- SECURITY INVOKER and a single SELECT, so PostgreSQL inlines it; row-level security decides the rows.
CREATE FUNCTION reach_invitee_facts()
RETURNS TABLE (tenant_id text, invitee_id uuid, person_key text, municipality_code text, role_category text,
               invited boolean, answered boolean, accepted boolean, first_reached_at timestamptz)
LANGUAGE sql STABLE
AS $$
  WITH counted AS (          -- invitations with at least one attendance that counts
    SELECT a.invitation_id
    FROM attendance a
    JOIN tenant_settings s ON s.tenant_id = a.tenant_id
    WHERE a.source = 'tracked_link' OR a.minutes >= s.attendance_threshold_minutes
    GROUP BY a.invitation_id
  )
  SELECT i.tenant_id, i.id, i.person_key, i.municipality_code, i.role_category,
         bool_or(v.status <> 'created' OR v.sent_at IS NOT NULL OR c.invitation_id IS NOT NULL),
         bool_or(v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent') OR v.responded_at IS NOT NULL
                 OR c.invitation_id IS NOT NULL),
         bool_or(v.status IN ('accepted', 'attended', 'absent') OR c.invitation_id IS NOT NULL),
         min(w.starts_at) FILTER (WHERE c.invitation_id IS NOT NULL)
  FROM invitees i
  JOIN invitations v ON v.invitee_id = i.id
  JOIN webcasts w ON w.id = v.webcast_id
  LEFT JOIN counted c ON c.invitation_id = v.id
  GROUP BY i.id
$$;

-- County figures of the current tenant, one row per figure group ("section"):
--   total         invited/answered/accepted/reached persons, recent = reached in the 28 days before p_now,
--                 target, municipalities_total/covered (the county's own municipalities)
--   municipality  key = municipality code ('' = the county board itself): invited/accepted/reached persons
--   role          key = role category: invited/accepted/reached persons
--   webcast       key = webcast id, label = title, at = start: invited/accepted/attended (= reached) invitations,
--                 no_shows = accepted without an attendance that counts (null until the webcast has ended)
--   day           key = date (Europe/Stockholm): reached = persons first reached that day
--   p_municipality  when given, only invitees of that municipality (a MunicipalUser's view)
CREATE FUNCTION reach_county_figures(p_now timestamptz, p_municipality text DEFAULT NULL)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE sql STABLE
AS $$
  WITH f AS MATERIALIZED (
    SELECT * FROM reach_invitee_facts() x WHERE p_municipality IS NULL OR x.municipality_code = p_municipality
  ),
  p AS MATERIALIZED (
    SELECT person_key, bool_or(invited) AS invited, bool_or(answered) AS answered, bool_or(accepted) AS accepted,
           min(first_reached_at) AS first_reached_at
    FROM f GROUP BY person_key
  ),
  settings AS (SELECT tenant_id, reach_target FROM tenant_settings WHERE tenant_id = current_tenant_id()),
  counted AS (
    SELECT a.invitation_id
    FROM attendance a JOIN tenant_settings s ON s.tenant_id = a.tenant_id
    WHERE a.source = 'tracked_link' OR a.minutes >= s.attendance_threshold_minutes
    GROUP BY a.invitation_id
  )
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
         count(v.id) FILTER (WHERE v.status <> 'created' OR v.sent_at IS NOT NULL OR c.invitation_id IS NOT NULL),
         count(v.id) FILTER (WHERE v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent')
                             OR v.responded_at IS NOT NULL OR c.invitation_id IS NOT NULL),
         count(v.id) FILTER (WHERE v.status IN ('accepted', 'attended', 'absent') OR c.invitation_id IS NOT NULL),
         count(c.invitation_id),
         CASE WHEN w.starts_at + make_interval(mins => w.duration_minutes) <= p_now
              THEN count(v.id) FILTER (WHERE v.status IN ('accepted', 'attended', 'absent') AND c.invitation_id IS NULL) END,
         NULL, NULL, NULL, NULL
  FROM webcasts w
  LEFT JOIN invitations v ON v.webcast_id = w.id
    AND (p_municipality IS NULL OR EXISTS (SELECT FROM invitees i WHERE i.id = v.invitee_id AND i.municipality_code = p_municipality))
  LEFT JOIN counted c ON c.invitation_id = v.id
  WHERE w.status <> 'draft' OR v.id IS NOT NULL
  GROUP BY w.id
  UNION ALL
  SELECT 'day', to_char((first_reached_at AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD'), NULL, NULL,
         NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
  FROM p WHERE first_reached_at IS NOT NULL
  GROUP BY 2
$$;

-- National figures: counts only, across every tenant. Sections as above, plus:
--   total         persons counted once nationally; target = the national target; municipalities of all 290
--   county        key = tenant id: the county's own figures (a person invited by two counties counts in each
--                 county's row and once in the total), target = the county's target
--   municipality  key = municipality code (all 290, zero rows included; '' = county boards)
--   role, day     persons counted once nationally per category / by first reached day
CREATE FUNCTION reach_national_figures(p_now timestamptz)
RETURNS TABLE (section text, key text, label text, at timestamptz,
               invited bigint, answered bigint, accepted bigint, reached bigint, no_shows bigint, recent bigint,
               target integer, municipalities_total integer, municipalities_covered integer)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH f AS MATERIALIZED (SELECT * FROM reach_invitee_facts()),
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

-- National recorded series: the nightly snapshots summed over the counties (counts only).
CREATE FUNCTION reach_national_snapshots()
RETURNS TABLE (snapshot_date date, counties integer, invited bigint, answered bigint, accepted bigint, reached_sum bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT snapshot_date, count(*)::int, sum(invited), sum(answered), sum(accepted), sum(reached)
  FROM reach_snapshots GROUP BY snapshot_date ORDER BY snapshot_date
$$;

-- Takes the current tenant's snapshot for p_date (idempotent: a second run the same day replaces it).
CREATE FUNCTION reach_take_snapshot(p_date date, p_now timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE
AS $$
  INSERT INTO reach_snapshots (tenant_id, snapshot_date, taken_at, target, invited, answered, accepted, reached,
                               municipalities_total, municipalities_covered)
  SELECT current_tenant_id(), p_date, p_now, coalesce(target, 0), invited, answered, accepted, reached,
         municipalities_total, municipalities_covered
  FROM reach_county_figures(p_now) WHERE section = 'total' AND current_tenant_id() IS NOT NULL
  ON CONFLICT (tenant_id, snapshot_date) DO UPDATE SET
    taken_at = EXCLUDED.taken_at, target = EXCLUDED.target, invited = EXCLUDED.invited, answered = EXCLUDED.answered,
    accepted = EXCLUDED.accepted, reached = EXCLUDED.reached, municipalities_total = EXCLUDED.municipalities_total,
    municipalities_covered = EXCLUDED.municipalities_covered
  RETURNING reached
$$;

-- A new owner needs CREATE on the schema at the moment of the change; the reporting role gets it only for that.
GRANT CREATE ON SCHEMA public TO "$reporting_role$";
ALTER FUNCTION reach_national_figures(timestamptz) OWNER TO "$reporting_role$";
ALTER FUNCTION reach_national_snapshots() OWNER TO "$reporting_role$";
REVOKE CREATE ON SCHEMA public FROM "$reporting_role$";

REVOKE EXECUTE ON FUNCTION reach_invitee_facts(), reach_county_figures(timestamptz, text), reach_national_figures(timestamptz),
  reach_national_snapshots(), reach_take_snapshot(date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reach_invitee_facts(), reach_county_figures(timestamptz, text), reach_take_snapshot(date, timestamptz)
  TO "$app_role$", "$reporting_role$";
GRANT EXECUTE ON FUNCTION reach_national_figures(timestamptz), reach_national_snapshots() TO "$app_role$";
