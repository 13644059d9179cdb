-- kinds: trigger
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes
WHEN OLD.account_id IS NOT NULL
BEGIN
    UPDATE accounts SET note_count = note_count - 1 WHERE id = OLD.account_id;
END;
