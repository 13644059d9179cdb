-- migc:revision      c7a500000041
-- migc:down_revision c7a500000040
-- migc:message       view of inventory value
-- migc:create_date   2026-11-26 09:41:00

-- migc:upgrade
CREATE VIEW inventory_value AS
SELECT i.id AS item_id, i.price * s.on_hand AS value FROM items i JOIN inventory s ON s.item_id = i.id;

-- migc:downgrade
DROP VIEW inventory_value;
