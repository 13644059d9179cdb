-- Users get a display name. Existing users are backfilled from the part of
-- their email before the '@', so no row is left without one.
--
-- migc:revision      e1f2a3b4c5d6
-- migc:down_revision 5a6b7c8d9e0f
-- migc:message       add display name
-- migc:create_date   2026-11-23 16:20:00

-- migc:upgrade
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';

UPDATE users
   SET display_name = substr(email, 1, instr(email, '@') - 1)
 WHERE display_name = '' AND instr(email, '@') > 1;

-- migc:downgrade
ALTER TABLE users DROP COLUMN display_name;
