-- The downgrade forgets the index: the round trip must catch it.
--
-- migc:revision      2b0000000002
-- migc:down_revision 1a0000000001
-- migc:message       index titles
-- migc:create_date   2026-11-20 10:00:00

-- migc:upgrade
CREATE INDEX entries_title ON entries (title);
ALTER TABLE entries ADD COLUMN body text;

-- migc:downgrade
ALTER TABLE entries DROP COLUMN body;
