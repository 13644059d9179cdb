-- migc:revision      y2
-- migc:down_revision y1
-- migc:message       y2
-- migc:create_date   2026-12-01 10:00:00
-- migc:depends_on    x1

-- migc:upgrade
CREATE TABLE t_y2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_y2;
