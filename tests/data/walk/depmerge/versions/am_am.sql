-- migc:revision      am
-- migc:down_revision a2, a2x
-- migc:message       am
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE t_am (id INTEGER);

-- migc:downgrade
DROP TABLE t_am;
