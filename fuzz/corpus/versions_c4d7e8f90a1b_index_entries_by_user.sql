-- The app lists a user's entries newest first; without this it scans.
--
-- migc:revision      c4d7e8f90a1b
-- migc:down_revision 8b2e51c0a9f3
-- migc:message       index entries by user
-- migc:create_date   2026-11-21 14:05:00

-- migc:upgrade
CREATE INDEX entries_user_created ON entries (user_id, created_at DESC);

-- migc:downgrade
DROP INDEX entries_user_created;
