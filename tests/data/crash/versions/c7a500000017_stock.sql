-- migc:revision      c7a500000017
-- migc:down_revision c7a500000016
-- migc:message       stock per item
-- migc:create_date   2026-11-26 09:17:00

-- migc:upgrade
CREATE TABLE stock (item_id INTEGER PRIMARY KEY REFERENCES items (id), on_hand INTEGER NOT NULL);
INSERT INTO stock (item_id, on_hand) SELECT id, qty * 3 FROM items;

-- migc:downgrade
DROP TABLE stock;
