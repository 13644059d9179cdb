-- kinds: column not_null
UPDATE notes SET body = '' WHERE body IS NULL;
ALTER TABLE notes RENAME TO notes_old;
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
INSERT INTO notes SELECT * FROM notes_old;
DROP TABLE notes_old;
CREATE INDEX notes_by_account ON notes (account_id);
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes
BEGIN
    UPDATE accounts SET note_count = note_count + 1 WHERE id = NEW.account_id;
END;
