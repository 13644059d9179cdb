-- migc:revision      1a0000000001
-- migc:down_revision none
-- migc:message       auth: users
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels auth

-- migc:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE users;
