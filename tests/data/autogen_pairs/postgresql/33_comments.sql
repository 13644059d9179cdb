-- kinds: comment
COMMENT ON TABLE invoices IS 'One row per invoice sent to a member';
COMMENT ON COLUMN invoices.number IS 'Printed on the invoice; from invoice_numbers';
