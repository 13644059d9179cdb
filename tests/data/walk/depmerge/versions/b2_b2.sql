-- migc:revision      b2
-- migc:down_revision b1
-- migc:message       b2
-- migc:create_date   2026-12-01 10:00:00
-- migc:depends_on    am

-- migc:upgrade
CREATE TABLE t_b2 (id INTEGER);

-- migc:downgrade
DROP TABLE t_b2;
