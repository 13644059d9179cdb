-- kinds: sequence
CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 10;
CREATE TABLE invoices (
    number integer PRIMARY KEY DEFAULT nextval('invoice_numbers'),
    member_id bigint NOT NULL REFERENCES members(id)
);
