-- migc:revision 1a2b3c4d5e6f
-- migc:down_revision none
-- migc:message create secrets
-- migc:create_date 2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE secrets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT);

-- migc:downgrade
DROP TABLE secrets;
