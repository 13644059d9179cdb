-- migc:revision      b
-- migc:down_revision a
-- migc:message       b
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_b (id INTEGER);

-- migc:downgrade
DROP TABLE t_b;
