-- kinds: index
CREATE UNIQUE INDEX invoices_member_email ON invoices (member_id, billing_email) NULLS NOT DISTINCT;
