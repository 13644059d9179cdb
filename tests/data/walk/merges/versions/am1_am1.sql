-- migc:revision      am1
-- migc:down_revision a2, a2x
-- migc:message       am1
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_am1 (id INTEGER);

-- migc:downgrade
DROP TABLE t_am1;
