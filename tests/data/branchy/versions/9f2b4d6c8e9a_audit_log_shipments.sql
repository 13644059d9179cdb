-- migc:revision      9f2b4d6c8e9a
-- migc:down_revision 8e1a3c5b7d89
-- migc:message       audit: log shipments
-- migc:create_date   2026-12-01 10:00:00
-- migc:depends_on 4f6b8d0c2e34

-- migc:upgrade
CREATE TABLE audit_shipments (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX audit_shipments_note ON audit_shipments (note);

-- migc:downgrade
DROP TABLE audit_shipments;
