-- Reach: the same definitions as 0500, computed with less work on large data sets (docs/benchmarks.md).
-- The attendance that counts is joined directly instead of grouped first per invitation: an invitation has at
-- most one attendance row per source, and the per-invitee aggregates (bool_or, min) are unchanged by repeats.
CREATE OR REPLACE FUNCTION reach_invitee_facts()
RETURNS TABLE (tenant_id text, invitee_id uuid, person_key text, municipality_code text, role_category text,
               invited boolean, answered boolean, accepted boolean, first_reached_at timestamptz)
LANGUAGE sql STABLE
AS $$
  SELECT i.tenant_id, i.id, i.person_key, i.municipality_code, i.role_category,
         bool_or(v.status <> 'created' OR v.sent_at IS NOT NULL OR c.invitation_id IS NOT NULL),
         bool_or(v.status IN ('accepted', 'declined', 'waitlisted', 'attended', 'absent') OR v.responded_at IS NOT NULL
                 OR c.invitation_id IS NOT NULL),
         bool_or(v.status IN ('accepted', 'attended', 'absent') OR c.invitation_id IS NOT NULL),
         min(w.starts_at) FILTER (WHERE c.invitation_id IS NOT NULL)
  FROM invitees i
  JOIN invitations v ON v.invitee_id = i.id
  JOIN webcasts w ON w.id = v.webcast_id
  LEFT JOIN (
    SELECT a.invitation_id
    FROM attendance a
    JOIN tenant_settings s ON s.tenant_id = a.tenant_id
    WHERE a.source = 'tracked_link' OR a.minutes >= s.attendance_threshold_minutes
  ) c ON c.invitation_id = v.id
  GROUP BY i.id
$$;

-- The report functions aggregate hundreds of thousands of rows in hash tables: give them room (no spill to disk)
-- and skip JIT compilation, which costs more than it saves for one pass.
ALTER FUNCTION reach_county_figures(timestamptz, text) SET work_mem = '64MB';
ALTER FUNCTION reach_county_figures(timestamptz, text) SET jit = off;
ALTER FUNCTION reach_national_figures(timestamptz) SET work_mem = '64MB';
ALTER FUNCTION reach_national_figures(timestamptz) SET jit = off;
