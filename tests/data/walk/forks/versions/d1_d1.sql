-- migc:revision      d1
-- migc:down_revision c1
-- migc:message       d1
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_d1 (id INTEGER);

-- migc:downgrade
DROP TABLE t_d1;
