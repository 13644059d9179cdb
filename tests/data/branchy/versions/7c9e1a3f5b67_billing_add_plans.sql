-- migc:revision      7c9e1a3f5b67
-- migc:down_revision 2c4e6a8b0d12
-- migc:message       billing: add plans
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels billing

-- migc:upgrade
CREATE TABLE plans (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX plans_note ON plans (note);

-- migc:downgrade
DROP TABLE plans;
