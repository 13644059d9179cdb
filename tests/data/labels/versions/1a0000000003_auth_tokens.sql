-- migc:revision      1a0000000003
-- migc:down_revision 1a0000000002
-- migc:message       auth: tokens
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE tokens (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE tokens;
