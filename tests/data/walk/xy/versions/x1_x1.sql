-- migc:revision      x1
-- migc:down_revision none
-- migc:message       x1
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels x

-- migc:upgrade
CREATE TABLE t_x1 (id INTEGER);

-- migc:downgrade
DROP TABLE t_x1;
