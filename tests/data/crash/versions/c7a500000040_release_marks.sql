-- Outside a transaction: one statement per line, each safe to run
-- again (crash.sh replays them one by one for its references).
--
-- migc:revision      c7a500000040
-- migc:down_revision c7a500000039
-- migc:message       release marks, outside a transaction
-- migc:create_date   2026-11-26 09:40:00
-- migc:transaction   none

-- migc:upgrade
CREATE TABLE IF NOT EXISTS release_marks (name TEXT PRIMARY KEY, revision_count INTEGER NOT NULL);
INSERT INTO release_marks (name, revision_count) SELECT 'crash set', 41 WHERE NOT EXISTS (SELECT 1 FROM release_marks WHERE name = 'crash set');
UPDATE inventory SET on_hand = 0 WHERE on_hand < 30 AND on_hand <> 0;
CREATE INDEX IF NOT EXISTS inventory_on_hand ON inventory (on_hand);

-- migc:downgrade
DROP INDEX inventory_on_hand;
DROP TABLE release_marks;
