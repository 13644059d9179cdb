-- kinds: composite column
CREATE TYPE money_amount AS (currency char(3), cents bigint);
ALTER TABLE invoices ADD COLUMN total money_amount;
