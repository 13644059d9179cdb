-- migc:revision      c2
-- migc:down_revision b
-- migc:message       c2
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels c2branch

-- migc:upgrade
CREATE TABLE t_c2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_c2;
