-- migc:revision      7b0000000006
-- migc:down_revision 7b0000000005
-- migc:message       renames and drops

-- migc:upgrade
ALTER TABLE notes RENAME COLUMN color TO colour;
ALTER TABLE folders RENAME TO notebooks;
ALTER TABLE notes DROP COLUMN pinned;
DROP TABLE note_tags;

-- migc:downgrade
ALTER TABLE notebooks RENAME TO folders;
ALTER TABLE notes RENAME COLUMN colour TO color;
