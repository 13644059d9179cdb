-- migc:revision      7b0000000005
-- migc:down_revision 7b0000000004
-- migc:message       rebuild notes with a required body
-- migc:transaction   none

-- migc:upgrade
PRAGMA foreign_keys = OFF;
CREATE TABLE notes_new (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER REFERENCES folders (id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  created_at TEXT,
  pinned INTEGER NOT NULL DEFAULT 0,
  color TEXT
);
INSERT INTO notes_new SELECT id, folder_id, title, coalesce(body, ''), created_at, pinned, color FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
CREATE INDEX notes_folder ON notes (folder_id);

-- migc:downgrade
SELECT 1;
