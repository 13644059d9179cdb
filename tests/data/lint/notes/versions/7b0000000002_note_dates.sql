-- migc:revision      7b0000000002
-- migc:down_revision 7b0000000001
-- migc:message       dates on notes

-- migc:upgrade
ALTER TABLE notes ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes ADD COLUMN color TEXT;

-- migc:downgrade
ALTER TABLE notes DROP COLUMN color;
ALTER TABLE notes DROP COLUMN pinned;
ALTER TABLE notes DROP COLUMN created_at;
