-- migc:repeatable z_totals
-- migc:message    each item's total, and its name

-- migc:upgrade sqlite
DROP VIEW IF EXISTS z_totals;
CREATE VIEW z_totals AS SELECT id, price * qty AS total, name FROM items;

-- migc:upgrade postgresql
CREATE OR REPLACE VIEW z_totals AS SELECT id, price * qty AS total, name FROM items;

-- migc:downgrade
DROP VIEW IF EXISTS z_totals;
