-- migc:revision      7d0f2b4a6c78
-- migc:down_revision 7c9e1a3f5b67
-- migc:message       billing: add subscriptions
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX subscriptions_note ON subscriptions (note);

-- migc:downgrade
DROP TABLE subscriptions;
