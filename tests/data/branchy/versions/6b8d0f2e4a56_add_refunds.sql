-- migc:revision      6b8d0f2e4a56
-- migc:down_revision 5a7c9e1d3f45
-- migc:message       add refunds
-- migc:create_date   2026-12-01 10:00:00
-- migc:transaction none

-- migc:upgrade
CREATE TABLE refunds (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX refunds_note ON refunds (note);

-- migc:downgrade
DROP TABLE refunds;
