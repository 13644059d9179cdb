-- kinds: table trigger rebuild
ALTER TABLE notes RENAME TO notes_old;
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) < 200),
    body TEXT NOT NULL DEFAULT ''
);
INSERT INTO notes SELECT * FROM notes_old;
DROP TABLE notes_old;
CREATE INDEX notes_by_account ON notes (account_id);
CREATE INDEX notes_untitled ON notes (account_id) WHERE title = '';
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes
BEGIN
    UPDATE accounts SET note_count = note_count + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes
WHEN OLD.account_id IS NOT NULL
BEGIN
    UPDATE accounts SET note_count = note_count - 1 WHERE id = OLD.account_id;
END;
