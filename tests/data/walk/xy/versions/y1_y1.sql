-- migc:revision      y1
-- migc:down_revision none
-- migc:message       y1
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels y

-- migc:upgrade
CREATE TABLE t_y1 (id INTEGER);

-- migc:downgrade
DROP TABLE t_y1;
