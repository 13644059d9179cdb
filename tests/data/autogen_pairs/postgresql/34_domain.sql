-- kinds: domain column
CREATE DOMAIN email_address AS citext CHECK (VALUE ~ '@');
ALTER TABLE invoices ADD COLUMN billing_email email_address;
