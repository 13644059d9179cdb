-- migc:revision      b3
-- migc:down_revision b2
-- migc:message       b3
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_b3 (id INTEGER);

-- migc:downgrade
DROP TABLE t_b3;
