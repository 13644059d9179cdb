-- migc:revision      a3x
-- migc:down_revision am1
-- migc:message       a3x
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_a3x (id INTEGER);

-- migc:downgrade
DROP TABLE t_a3x;
