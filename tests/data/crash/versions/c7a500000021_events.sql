-- migc:revision      c7a500000021
-- migc:down_revision c7a500000020
-- migc:message       events
-- migc:create_date   2026-11-26 09:21:00

-- migc:upgrade
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    kind        INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    payload     TEXT NOT NULL
);
INSERT INTO events (id, kind, customer_id, payload)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
SELECT i, i % 7, 1 + (i * 13) % 10000, 'event ' || i || ' of kind ' || (i % 7) FROM n;

-- migc:downgrade
DROP TABLE events;
