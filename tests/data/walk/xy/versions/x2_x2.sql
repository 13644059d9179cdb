-- migc:revision      x2
-- migc:down_revision x1
-- migc:message       x2
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_x2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_x2;
