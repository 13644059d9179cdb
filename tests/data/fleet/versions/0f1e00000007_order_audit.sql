-- Audit every order: a trigger, written per dialect.
--
-- migc:revision      0f1e00000007
-- migc:down_revision 0f1e00000006
-- migc:message       order audit trigger
-- migc:create_date   2026-11-25 11:06:00

-- migc:upgrade sqlite
CREATE TABLE order_audit (order_id INTEGER NOT NULL, note TEXT NOT NULL);
CREATE TRIGGER orders_audit AFTER INSERT ON orders
BEGIN
    INSERT INTO order_audit (order_id, note) VALUES (NEW.id, 'new; order');
END;
INSERT INTO fleet_log (revision) VALUES ('0f1e00000007');

-- migc:upgrade postgresql
CREATE TABLE order_audit (order_id INTEGER NOT NULL, note TEXT NOT NULL);
CREATE FUNCTION orders_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_audit (order_id, note) VALUES (NEW.id, 'new; order');
    RETURN NEW;
END;
$$;
CREATE TRIGGER orders_audit AFTER INSERT ON orders
FOR EACH ROW EXECUTE FUNCTION orders_audit();
INSERT INTO fleet_log (revision) VALUES ('0f1e00000007');

-- migc:downgrade sqlite
DROP TRIGGER orders_audit;
DROP TABLE order_audit;

-- migc:downgrade postgresql
DROP TRIGGER orders_audit ON orders;
DROP FUNCTION orders_audit();
DROP TABLE order_audit;
