-- kinds: column column_order
ALTER TABLE tags RENAME TO tags_old;
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    color TEXT,
    label TEXT NOT NULL UNIQUE
);
INSERT INTO tags (id, label) SELECT id, label FROM tags_old;
DROP TABLE tags_old;
