-- Webcasts, invitations and attendance (owned by Features/Webcasts, Features/Invitations,
-- Features/Attendance). Contract for other features: columns may be added to, never renamed or removed.
CREATE TABLE webcasts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  starts_at timestamptz NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
  platform text NOT NULL DEFAULT 'teams' CHECK (platform IN ('teams', 'zoom', 'other')),
  join_url text CHECK (join_url IS NULL OR join_url LIKE 'https://%'),
  recording_url text CHECK (recording_url IS NULL OR recording_url LIKE 'https://%'),
  capacity integer CHECK (capacity IS NULL OR capacity > 0),
  audience_municipalities text[] NOT NULL DEFAULT '{}',     -- empty = all of the county
  audience_role_categories text[] NOT NULL DEFAULT '{}',    -- empty = all categories
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'live', 'completed', 'cancelled')),
  schedule_version integer NOT NULL DEFAULT 1,              -- raised on every reschedule (iCalendar SEQUENCE)
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz
);
CREATE INDEX webcasts_tenant_start_idx ON webcasts(tenant_id, starts_at);
SELECT enable_tenant_isolation('webcasts');

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  webcast_id uuid NOT NULL REFERENCES webcasts(id),
  invitee_id uuid NOT NULL REFERENCES invitees(id),
  token text NOT NULL UNIQUE CHECK (length(token) >= 22),  -- ≥128 random bits, base64url
  status text NOT NULL DEFAULT 'created'
    CHECK (status IN ('created', 'sent', 'accepted', 'declined', 'waitlisted', 'attended', 'absent')),
  waitlisted_at timestamptz,
  responded_at timestamptz,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webcast_id, invitee_id)
);
CREATE INDEX invitations_tenant_invitee_idx ON invitations(tenant_id, invitee_id);
CREATE INDEX invitations_webcast_status_idx ON invitations(webcast_id, status);
SELECT enable_tenant_isolation('invitations');

CREATE TABLE attendance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id text NOT NULL REFERENCES tenants(id),
  invitation_id uuid NOT NULL REFERENCES invitations(id),
  source text NOT NULL CHECK (source IN ('tracked_link', 'teams', 'zoom', 'manual')),
  minutes integer CHECK (minutes IS NULL OR minutes >= 0),  -- null when unknown (a tracked join)
  joined_at timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text,                                         -- user id for manual marks and imports
  import_id uuid,
  UNIQUE (invitation_id, source)
);
CREATE INDEX attendance_tenant_idx ON attendance(tenant_id, invitation_id);
SELECT enable_tenant_isolation('attendance');
