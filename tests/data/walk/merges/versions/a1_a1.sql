-- migc:revision      a1
-- migc:down_revision none
-- migc:message       a1
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_a1 (id INTEGER);

-- migc:downgrade
DROP TABLE t_a1;
