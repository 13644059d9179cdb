-- kinds: column check
ALTER TABLE invoices ADD COLUMN due_on date NOT NULL DEFAULT current_date + 30,
    ADD CONSTRAINT invoices_due_after_issue CHECK (due_on > '2000-01-01');
