-- migc:revision      a3
-- migc:down_revision a2
-- migc:message       a3
-- migc:create_date   2026-12-01 10:00:00
-- migc:depends_on    b1

-- migc:upgrade
CREATE TABLE t_a3 (id INTEGER);

-- migc:downgrade
DROP TABLE t_a3;
