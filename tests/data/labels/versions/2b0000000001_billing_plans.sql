-- migc:revision      2b0000000001
-- migc:down_revision none
-- migc:message       billing: plans
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels billing

-- migc:upgrade
CREATE TABLE plans (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE plans;
