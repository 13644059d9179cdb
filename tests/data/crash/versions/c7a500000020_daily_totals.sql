-- Outside a transaction: one statement per line, each safe to run
-- again (crash.sh replays them one by one for its references).
--
-- migc:revision      c7a500000020
-- migc:down_revision c7a500000019
-- migc:message       daily totals, outside a transaction
-- migc:create_date   2026-11-26 09:20:00
-- migc:transaction   none

-- migc:upgrade
CREATE TABLE IF NOT EXISTS daily_totals (day INTEGER PRIMARY KEY, customers INTEGER NOT NULL);
INSERT INTO daily_totals (day, customers) SELECT created_day, count(*) FROM customers WHERE created_day IS NOT NULL AND NOT EXISTS (SELECT 1 FROM daily_totals d WHERE d.day = customers.created_day) GROUP BY created_day;
UPDATE customers SET created_day = 0 WHERE created_day IS NULL;
CREATE INDEX IF NOT EXISTS customers_created_day ON customers (created_day);

-- migc:downgrade
DROP INDEX customers_created_day;
UPDATE customers SET created_day = NULL WHERE id % 4 = 0;
DROP TABLE daily_totals;
