-- migc:revision      a2x
-- migc:down_revision a1
-- migc:message       a2x
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_a2x (id INTEGER);

-- migc:downgrade
DROP TABLE t_a2x;
