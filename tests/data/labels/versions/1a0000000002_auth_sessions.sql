-- migc:revision      1a0000000002
-- migc:down_revision 1a0000000001
-- migc:message       auth: sessions
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE sessions (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE sessions;
