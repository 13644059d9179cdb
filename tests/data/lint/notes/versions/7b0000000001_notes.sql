-- migc:revision      7b0000000001
-- migc:down_revision none
-- migc:message       notes and folders

-- migc:upgrade
CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER REFERENCES folders (id),
  title TEXT NOT NULL,
  body TEXT
);
CREATE INDEX notes_folder ON notes (folder_id);

-- migc:downgrade
DROP TABLE notes;
DROP TABLE folders;
