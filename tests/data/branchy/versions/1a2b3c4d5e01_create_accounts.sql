-- migc:revision      1a2b3c4d5e01
-- migc:down_revision none
-- migc:message       create accounts
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE accounts (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX accounts_note ON accounts (note);

-- migc:downgrade
DROP TABLE accounts;
