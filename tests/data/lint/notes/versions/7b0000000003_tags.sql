-- migc:revision      7b0000000003
-- migc:down_revision 7b0000000002
-- migc:message       tags

-- migc:upgrade
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE note_tags (
  note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (note_id, tag_id)
);
ALTER TABLE tags ADD COLUMN slug TEXT UNIQUE;

-- migc:downgrade
DROP TABLE note_tags;
DROP TABLE tags;
