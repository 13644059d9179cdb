-- kinds: column not_null
DROP VIEW tagged_notes;
ALTER TABLE tags RENAME TO tags_old;
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);
INSERT INTO tags SELECT id, label, id FROM tags_old;
DROP TABLE tags_old;
CREATE VIEW tagged_notes AS
    SELECT n.id, n.title, t.label FROM notes n
    JOIN note_tags nt ON nt.note_id = n.id JOIN tags t ON t.id = nt.tag_id;
CREATE TRIGGER tagged_notes_insert INSTEAD OF INSERT ON tagged_notes
BEGIN
    INSERT OR IGNORE INTO tags (label, position) VALUES (NEW.label, 0);
    INSERT INTO note_tags (note_id, tag_id) SELECT NEW.id, id FROM tags WHERE label = NEW.label;
END;
ALTER TABLE settings ADD COLUMN updated_at TEXT;
