-- migc:revision      a
-- migc:down_revision none
-- migc:message       a
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_a (id INTEGER);

-- migc:downgrade
DROP TABLE t_a;
