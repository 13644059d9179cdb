-- migc:revision      c7a500000014
-- migc:down_revision c7a500000013
-- migc:message       unique emails
-- migc:create_date   2026-11-26 09:14:00

-- migc:upgrade
CREATE UNIQUE INDEX customers_email ON customers (email);

-- migc:downgrade
DROP INDEX customers_email;
