-- Outside a transaction: one statement per line, each safe to run
-- again (crash.sh replays them one by one for its references).
--
-- migc:revision      c7a500000032
-- migc:down_revision c7a500000031
-- migc:message       indexes and event counts, outside a transaction
-- migc:create_date   2026-11-26 09:32:00
-- migc:transaction   none

-- migc:upgrade
CREATE INDEX IF NOT EXISTS events_customer ON events (customer_id);
CREATE INDEX IF NOT EXISTS order_notes_note ON order_notes (note);
CREATE INDEX IF NOT EXISTS archived_orders_customer ON archived_orders (customer_id);
CREATE TABLE IF NOT EXISTS event_counts (kind INTEGER PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO event_counts (kind, n) SELECT kind, count(*) FROM events WHERE NOT EXISTS (SELECT 1 FROM event_counts c WHERE c.kind = events.kind) GROUP BY kind;

-- migc:downgrade
DROP TABLE event_counts;
DROP INDEX archived_orders_customer;
DROP INDEX order_notes_note;
DROP INDEX events_customer;
