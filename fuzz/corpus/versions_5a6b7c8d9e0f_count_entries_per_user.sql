-- Keep a per-user entry count current with triggers, so the app's
-- summary does not count rows at every start. The backfill counts what is
-- already there.
--
-- migc:revision      5a6b7c8d9e0f
-- migc:down_revision c4d7e8f90a1b
-- migc:message       count entries per user
-- migc:create_date   2026-11-22 11:40:00

-- migc:upgrade
ALTER TABLE users ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0;

UPDATE users SET entry_count =
    (SELECT count(*) FROM entries WHERE entries.user_id = users.id);

CREATE TRIGGER entries_count_insert AFTER INSERT ON entries
BEGIN
    UPDATE users SET entry_count = entry_count + 1 WHERE id = NEW.user_id;
END;

CREATE TRIGGER entries_count_delete AFTER DELETE ON entries
BEGIN
    UPDATE users SET entry_count =
        CASE WHEN entry_count > 0 THEN entry_count - 1 ELSE 0 END
    WHERE id = OLD.user_id;
END;

-- migc:downgrade
DROP TRIGGER entries_count_delete;
DROP TRIGGER entries_count_insert;
ALTER TABLE users DROP COLUMN entry_count;
