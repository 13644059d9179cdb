-- migc:revision      c7a500000028
-- migc:down_revision c7a500000027
-- migc:message       price change trigger
-- migc:create_date   2026-11-26 09:28:00

-- migc:upgrade
CREATE TABLE price_changes (item_id INTEGER NOT NULL, old_price INTEGER NOT NULL, new_price INTEGER NOT NULL);
CREATE TRIGGER items_price_changes AFTER UPDATE OF price ON items
BEGIN
    INSERT INTO price_changes (item_id, old_price, new_price) VALUES (OLD.id, OLD.price, NEW.price);
END;

-- migc:upgrade postgresql
CREATE TABLE price_changes (item_id INTEGER NOT NULL, old_price INTEGER NOT NULL, new_price INTEGER NOT NULL);
CREATE FUNCTION items_price_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO price_changes (item_id, old_price, new_price) VALUES (OLD.id, OLD.price, NEW.price);
    RETURN NEW;
END
$$;
CREATE TRIGGER items_price_changes AFTER UPDATE OF price ON items
    FOR EACH ROW EXECUTE FUNCTION items_price_changes();

-- migc:downgrade
DROP TRIGGER items_price_changes;
DROP TABLE price_changes;

-- migc:downgrade postgresql
DROP TRIGGER items_price_changes ON items;
DROP FUNCTION items_price_changes();
DROP TABLE price_changes;
