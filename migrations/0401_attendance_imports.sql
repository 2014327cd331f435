-- Attendance report imports (owned by Features/Attendance): one row per committed Teams/Zoom report.
-- The same report (same bytes) committed twice for a webcast is recognised by its SHA-256 and changes nothing.
CREATE TABLE attendance_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  webcast_id uuid NOT NULL REFERENCES webcasts(id),
  source text NOT NULL CHECK (source IN ('teams', 'zoom')),
  content_sha256 text NOT NULL,
  file_name text,
  rows_total integer NOT NULL DEFAULT 0,
  rows_matched integer NOT NULL DEFAULT 0,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, webcast_id, content_sha256)
);
SELECT enable_tenant_isolation('attendance_imports');

-- Waitlist order and lifecycle lookups.
CREATE INDEX invitations_waitlist_idx ON invitations(webcast_id, waitlisted_at, id) WHERE status = 'waitlisted';
CREATE INDEX webcasts_status_start_idx ON webcasts(status, starts_at) WHERE status IN ('scheduled', 'live');
