-- migc:repeatable z_totals
-- migc:message    each item's total

-- migc:upgrade sqlite
DROP VIEW IF EXISTS z_totals;
CREATE VIEW z_totals AS SELECT id, price * qty AS total FROM items;

-- migc:upgrade postgresql
CREATE OR REPLACE VIEW z_totals AS SELECT id, price * qty AS total FROM items;

-- migc:downgrade
DROP VIEW IF EXISTS z_totals;
