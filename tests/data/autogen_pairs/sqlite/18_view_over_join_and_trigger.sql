-- kinds: view instead_of trigger
CREATE VIEW tagged_notes AS
    SELECT n.id, n.title, t.label FROM notes n
    JOIN note_tags nt ON nt.note_id = n.id JOIN tags t ON t.id = nt.tag_id;
CREATE TRIGGER tagged_notes_insert INSTEAD OF INSERT ON tagged_notes
BEGIN
    INSERT OR IGNORE INTO tags (label) VALUES (NEW.label);
    INSERT INTO note_tags (note_id, tag_id) SELECT NEW.id, id FROM tags WHERE label = NEW.label;
END;
