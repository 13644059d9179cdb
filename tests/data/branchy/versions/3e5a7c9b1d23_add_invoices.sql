-- migc:revision      3e5a7c9b1d23
-- migc:down_revision 2c4e6a8b0d12
-- migc:message       add invoices
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE invoices (id INTEGER PRIMARY KEY, note VARCHAR(40));
CREATE INDEX invoices_note ON invoices (note);

-- migc:downgrade
DROP TABLE invoices;
