-- migc:revision      c7a500000011
-- migc:down_revision c7a500000010
-- migc:message       audit trigger on orders
-- migc:create_date   2026-11-26 09:11:00

-- migc:upgrade
CREATE TABLE order_audit (order_id INTEGER NOT NULL, amount INTEGER NOT NULL);
CREATE TRIGGER orders_audit AFTER INSERT ON orders
BEGIN
    INSERT INTO order_audit (order_id, amount) VALUES (NEW.id, NEW.amount);
END;

-- migc:upgrade postgresql
CREATE TABLE order_audit (order_id INTEGER NOT NULL, amount INTEGER NOT NULL);
CREATE FUNCTION orders_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_audit (order_id, amount) VALUES (NEW.id, NEW.amount);
    RETURN NEW;
END
$$;
CREATE TRIGGER orders_audit AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_audit();

-- migc:downgrade
DROP TRIGGER orders_audit;
DROP TABLE order_audit;

-- migc:downgrade postgresql
DROP TRIGGER orders_audit ON orders;
DROP FUNCTION orders_audit();
DROP TABLE order_audit;
