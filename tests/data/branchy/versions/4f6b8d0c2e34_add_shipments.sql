-- migc:revision      4f6b8d0c2e34
-- migc:down_revision 2c4e6a8b0d12
-- migc:message       add shipments
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE shipments (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX shipments_note ON shipments (note);

-- migc:downgrade
DROP TABLE shipments;
