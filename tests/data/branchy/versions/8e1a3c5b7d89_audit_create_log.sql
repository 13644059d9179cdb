-- migc:revision      8e1a3c5b7d89
-- migc:down_revision none
-- migc:message       audit: create log
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels audit

-- migc:upgrade
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX audit_log_note ON audit_log (note);

-- migc:downgrade
DROP TABLE audit_log;
