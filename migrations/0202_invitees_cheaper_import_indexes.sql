-- Invitees: cheaper bulk imports (measured in docs/benchmarks.md). Every index is paid for on each imported
-- row; ICU comparisons are the dearest. E-mail addresses are ASCII local parts with (mostly ASCII) domains, so
-- their sort order needs no Swedish collation: byte order ("C") keeps keyset pagination exact and is cheap.
-- The status/role index served no query the facet counts could not do with the tenant's rows at hand.
DROP INDEX invitees_sort_email_idx;
CREATE INDEX invitees_sort_email_idx ON invitees (tenant_id, (coalesce(email_normalized, '') COLLATE "C"), id);
DROP INDEX invitees_tenant_status_role_idx;
-- Trigram index: a bulk import appends to GIN's pending list and leaves merging it into the index to
-- (auto)vacuum, instead of doing that inside the import's transaction every 4 MB. Searches read the
-- pending list until then, which stays small next to the table.
ALTER INDEX invitees_search_trgm_idx SET (gin_pending_list_limit = 32768);
