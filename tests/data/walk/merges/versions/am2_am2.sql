-- migc:revision      am2
-- migc:down_revision a3, a3x
-- migc:message       am2
-- migc:create_date   2026-12-01 10:00:00
-- migc:depends_on    b1

-- migc:upgrade
CREATE TABLE t_am2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_am2;
