-- migc:revision      a2
-- migc:down_revision a1
-- migc:message       a2
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_a2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_a2;
