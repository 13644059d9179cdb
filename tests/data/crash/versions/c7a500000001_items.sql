-- The crash-consistency set (tests/e2e/crash.sh): every revision does
-- real work so that kill -9 lands inside one. In "transaction none"
-- revisions each upgrade statement is on one line and can run twice
-- (a kill between a statement and its progress row repeats it).
--
-- migc:revision      c7a500000001
-- migc:down_revision none
-- migc:message       items
-- migc:create_date   2026-11-26 09:01:00

-- migc:upgrade
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL);
INSERT INTO items (id, name, qty)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
SELECT i, 'item ' || i, (i * 7919) % 1000 FROM n;

-- migc:downgrade
DROP TABLE items;
