-- migc:revision      c1
-- migc:down_revision b
-- migc:message       c1
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels c1branch

-- migc:upgrade
CREATE TABLE t_c1 (id INTEGER);

-- migc:downgrade
DROP TABLE t_c1;
