-- The answer an invitee gave on the RSVP page ("accepted" = said yes, also when put on the waitlist; "declined"),
-- kept apart from the invitation's status, which moves on to attended/absent after the webcast. The county dashboard's
-- "latest answers" shows it. Rows answered before this migration have no value; the API falls back to the status
-- (declined → declined, otherwise accepted). No backfill here: an UPDATE of every answered invitation would run the
-- reach summary's triggers (migration 0503) over the whole table for nothing the reports read.
ALTER TABLE invitations ADD COLUMN IF NOT EXISTS answer text CHECK (answer IN ('accepted', 'declined'));
