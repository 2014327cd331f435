-- The admin app's per-user preferences (SPA, issue 9): today the interface language, so that a person's choice
-- follows them to every browser and device. Global like the accounts it belongs to (docs/decisions/0011);
-- removed with the account.
CREATE TABLE user_preferences (
  user_id text PRIMARY KEY REFERENCES "AspNetUsers"("Id") ON DELETE CASCADE,
  language text NOT NULL CHECK (language IN ('sv', 'en')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
