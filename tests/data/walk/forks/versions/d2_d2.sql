-- migc:revision      d2
-- migc:down_revision c2
-- migc:message       d2
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_d2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_d2;
