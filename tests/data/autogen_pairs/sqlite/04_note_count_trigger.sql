-- kinds: column trigger
ALTER TABLE accounts ADD COLUMN note_count INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes
BEGIN
    UPDATE accounts SET note_count = note_count + 1 WHERE id = NEW.account_id;
END;
